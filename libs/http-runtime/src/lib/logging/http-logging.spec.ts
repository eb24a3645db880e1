import { Controller, Get, INestApplication, Logger, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LoggerModule, Logger as PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { configureHttpApp, createHttpAdapter, initHttpApp } from '../configure-http-app';
import { MetricsModule } from '../metrics/metrics.module';
import { httpLoggingParams, isPrettyLogFormat } from './http-logging';

@Controller('probe')
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  @Get('lookup')
  lookup(@Query('email') email: string) {
    this.logger.log({ matches: 1 }, 'looked up a customer');
    return { found: email.length > 0 };
  }

  @Get('crash')
  crash() {
    const error = new Error('duplicate key value violates unique constraint "customers_email_key"');
    Object.assign(error, { query: 'INSERT INTO customers ...', parameters: ['ada@example.com'] });
    throw error;
  }
}

describe('httpLoggingParams', () => {
  let app: INestApplication;
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        MetricsModule.forRoot(),
        LoggerModule.forRoot(httpLoggingParams({ level: 'info', format: 'json', destination })),
      ],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter(), { bufferLogs: true });
    app.useLogger(app.get(PinoLogger));
    configureHttpApp(app, { title: 'probe', description: 'probe', version: '1', tags: [] });
    await initHttpApp(app);
  });

  afterAll(() => app.close());
  beforeEach(() => (lines.length = 0));

  const linesOf = (requestId: string) =>
    lines.filter((line) => (line['req'] as { id?: string } | undefined)?.id === requestId);

  it('writes JSON lines that carry the request id, for the app logs and the request log alike', async () => {
    await request(app.getHttpServer())
      .get('/api/probe/lookup?email=ada.lovelace%40example.com')
      .set('x-request-id', 'req-1')
      .expect(200);
    const ours = linesOf('req-1');
    expect(ours.map((line) => line['msg'])).toEqual(['looked up a customer', 'request completed']);
    expect(ours[0]).toMatchObject({ matches: 1, context: 'ProbeController' });
    expect(ours[1]).toMatchObject({
      req: { method: 'GET', path: '/api/probe/lookup' },
      res: { statusCode: 200 },
    });
  });

  it('keeps personal data and credentials out: no query strings, no headers', async () => {
    await request(app.getHttpServer())
      .get('/api/probe/lookup?email=ada.lovelace%40example.com')
      .set('authorization', 'Bearer s3cret-key')
      .expect(200);
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/lovelace|s3cret|authorization/i);
  });

  it('logs an unexpected error with its stack under the request id, without the driver details', async () => {
    const response = await request(app.getHttpServer()).get('/api/probe/crash').expect(500);
    const ours = linesOf(response.headers['x-request-id']);
    const logged = ours.find((line) => line['msg'] === 'unexpected error');
    expect(logged).toMatchObject({
      level: 50,
      error: { type: 'Error', stack: expect.stringContaining('crash') },
    });
    expect(ours.find((line) => line['msg'] === 'request errored' || line['res'])).toMatchObject({
      level: 50,
    });
    expect(JSON.stringify(ours)).not.toMatch(/ada@example|INSERT INTO/);
  });
});

describe('isPrettyLogFormat', () => {
  it('honours json and pretty, and never picks pretty in production', () => {
    expect(isPrettyLogFormat({ format: 'json' })).toBe(false);
    expect(isPrettyLogFormat({ format: 'pretty', nodeEnv: 'production' })).toBe(true);
    expect(isPrettyLogFormat({ format: 'auto', nodeEnv: 'production' })).toBe(false);
  });
});
