import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PipelineInstanceRepository } from '@customer-pipeline/data-access';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { PipelineConfig } from '../../config/pipeline.config';

/** This process in the registry of pipeline processes: who it is, and which jobs it holds right now. */
@Injectable()
export class InstanceHeartbeat {
  readonly id = randomUUID();
  private readonly identity: { id: string; role: string; hostname: string; pid: number };

  constructor(
    private readonly instances: PipelineInstanceRepository,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.identity = {
      id: this.id,
      role: config.get('PIPELINE_ROLE', { infer: true }),
      hostname: hostname(),
      pid: process.pid,
    };
  }

  beat(jobIds: string[]): Promise<void> {
    return this.instances.beat(this.identity, jobIds);
  }

  leave(): Promise<void> {
    return this.instances.deregister(this.id);
  }
}
