import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PipelineInstance {
  id: string;
  role: string;
  hostname: string;
  pid: number;
  started_at: Date;
  heartbeat_at: Date;
  /** Ids of the jobs the process was working on at its last heartbeat. */
  active_jobs: string[];
}

/**
 * The registry of running pipeline processes (`pipeline_instances`). Each process writes its own row: it
 * registers, then beats every few seconds with the jobs it holds. A process whose heartbeat is older than the
 * timeout is gone, and the jobs it held are handed on (see the job supervisor).
 */
@Injectable()
export class PipelineInstanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async register(instance: Pick<PipelineInstance, 'id' | 'role' | 'hostname' | 'pid'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO pipeline_instances (id, role, hostname, pid) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [instance.id, instance.role, instance.hostname, instance.pid],
    );
  }

  /** Records that the process is alive and holds these jobs; re-registers it if its row was removed. */
  async beat(instance: Pick<PipelineInstance, 'id' | 'role' | 'hostname' | 'pid'>, activeJobs: string[]) {
    await this.dataSource.query(
      `INSERT INTO pipeline_instances (id, role, hostname, pid, active_jobs) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), active_jobs = EXCLUDED.active_jobs`,
      [instance.id, instance.role, instance.hostname, instance.pid, activeJobs],
    );
  }

  async deregister(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM pipeline_instances WHERE id = $1', [id]);
  }

  /** Processes that beat within the timeout, by the database's clock (process clocks may disagree). */
  findLive(timeoutMs: number): Promise<PipelineInstance[]> {
    return this.dataSource.query(
      `SELECT * FROM pipeline_instances WHERE heartbeat_at > now() - $1 * interval '1 millisecond' ORDER BY started_at`,
      [timeoutMs],
    );
  }

  /** Forgets processes silent for much longer than the timeout: they are long gone. */
  async removeSilentFor(ms: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM pipeline_instances WHERE heartbeat_at < now() - $1 * interval '1 millisecond'`,
      [ms],
    );
  }
}
