import { Controller, Get } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  MetricsModule,
  configureHttpApp,
  createHttpAdapter,
  initHttpApp,
} from '@customer-pipeline/http-runtime';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { serveDashboard } from './dashboard-site';

@Controller('customers')
class ProbeController {
  @Get()
  list() {
    return { data: [] };
  }
}

describe('serveDashboard', () => {
  let folder: string;
  let app: NestFastifyApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'dashboard-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(folder, 'assets', 'index-3f2a.js'), 'console.log(1)');
    writeFileSync(join(folder, '.env'), 'SECRET=1');
    const moduleRef = await Test.createTestingModule({
      imports: [MetricsModule.forRoot()],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: false });
    configureHttpApp(app, { title: 'probe', description: 'probe', version: '1', tags: [] });
    expect(await serveDashboard(app, folder)).toBe(true);
    await initHttpApp(app);
  });

  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the page at / for revalidation, under a policy without upgrade-insecure-requests', async () => {
    const page = await get('/').expect(200);
    expect(page.text).toContain('<title>dashboard</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(page.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('serves assets for a year, and keeps the strict policy on them', async () => {
    const asset = await get('/assets/index-3f2a.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('serves no dotfile and no folder listing, and leaves the API its own answers', async () => {
    await get('/.env').expect(404);
    await get('/assets/').expect(404);
    expect((await get('/api/customers').expect(200)).body).toEqual({ data: [] });
    expect((await get('/api/nowhere').expect(404)).body.message).toBe('Cannot GET /api/nowhere');
  });
});
