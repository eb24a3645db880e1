import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
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
  await app.register(fastifyStatic, {
    root: folder,
    index: 'index.html',
    // Nothing else: a dotfile or a folder listing is not the dashboard's (@fastify/static allows dotfiles
    // unless told otherwise).
    dotfiles: 'ignore',
    serveDotFiles: false,
    list: false,
    redirect: false,
    setHeaders: (reply, path) => {
      if (!path.endsWith('.html')) {
        reply.header('Cache-Control', ASSET_CACHE);
        return;
      }
      reply.header('Cache-Control', 'no-cache');
      // Set once the page is found (after the app-wide headers, which it replaces), so that no other
      // request pays for it. helmet's policy of fixed directives sets its header at once, and fails never.
      pagePolicy(reply.request.raw, reply.raw, (error?: unknown) => {
        if (error) throw error;
      });
    },
  });
  return true;
}
