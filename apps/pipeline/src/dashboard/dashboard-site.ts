import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Vite names every asset by its content's hash, so an asset never changes under its name. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * Serves the dashboard's built files (`nx build dashboard`) at `/`, same origin as the API it calls, under
 * the strict content security policy every answer gets: the build has no inline script. Only the HTML page
 * is revalidated on each load, so that a new build shows at once. Returns false when there is no build.
 */
export function serveDashboard(app: NestExpressApplication, folder: string): boolean {
  if (!existsSync(join(folder, 'index.html'))) {
    new Logger('Dashboard').warn(`no dashboard at ${folder}: run \`npx nx build dashboard\``);
    return false;
  }
  app.useStaticAssets(folder, {
    index: 'index.html',
    // Nothing else: a dotfile or a folder listing is not the dashboard's.
    dotfiles: 'ignore',
    redirect: false,
    setHeaders: (response, path) =>
      response.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : ASSET_CACHE),
  });
  return true;
}
