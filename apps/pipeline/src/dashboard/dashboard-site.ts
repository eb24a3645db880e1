import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Vite names every asset by its content's hash, so an asset never changes under its name. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * helmet's strict policy (scripts from this origin only, none inline), less `upgrade-insecure-requests`: a
 * pipeline reached over plain HTTP by a name that is not localhost (http://pipeline-host:8000/, as compose
 * publishes it) would otherwise have the browser ask for the page's script and every API call over HTTPS,
 * which nothing serves, and show an empty page.
 */
const pagePolicy = helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } });

function isPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0];
  return path === '/' || path === '/index.html';
}

/**
 * Serves the dashboard's built files (`nx build dashboard`) at `/`, same origin as the API it calls. Only
 * the HTML page is revalidated on each load, so that a new build shows at once. The API's routes are
 * Fastify's more specific matches: no API request looks for a file. Returns false when there is no build.
 */
export async function serveDashboard(app: NestFastifyApplication, folder: string): Promise<boolean> {
  if (!existsSync(join(folder, 'index.html'))) {
    new Logger('Dashboard').warn(`no dashboard at ${folder}: run \`npx nx build dashboard\``);
    return false;
  }
  const fastify = app.getHttpAdapter().getInstance();
  // After the app-wide headers, so that on the page alone this policy replaces theirs.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (!isPage(request)) return done();
    pagePolicy(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await app.register(fastifyStatic, {
    root: folder,
    index: 'index.html',
    // Nothing else: a dotfile or a folder listing is not the dashboard's (@fastify/static allows dotfiles
    // unless told otherwise).
    dotfiles: 'ignore',
    serveDotFiles: false,
    list: false,
    redirect: false,
    setHeaders: (response, path) =>
      response.header('Cache-Control', path.endsWith('.html') ? 'no-cache' : ASSET_CACHE),
  });
  return true;
}
