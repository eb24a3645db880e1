import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
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

function isPage(request: Request): boolean {
  return request.path === '/' || request.path === '/index.html';
}

/** The API, its documents and its metrics: never a file of the dashboard. */
const NOT_THE_DASHBOARD = /^\/(api|docs|metrics)([/-]|$)/;

/**
 * Serves the dashboard's built files (`nx build dashboard`) at `/`, same origin as the API it calls. Only
 * the HTML page is revalidated on each load, so that a new build shows at once. Returns false when there
 * is no build.
 */
export function serveDashboard(app: NestExpressApplication, folder: string): boolean {
  if (!existsSync(join(folder, 'index.html'))) {
    new Logger('Dashboard').warn(`no dashboard at ${folder}: run \`npx nx build dashboard\``);
    return false;
  }
  // After the app-wide headers, so that on the page alone this policy replaces theirs.
  app.use((request: Request, response: Response, next: NextFunction) =>
    isPage(request) ? pagePolicy(request, response, next) : next(),
  );
  const files = express.static(folder, {
    index: 'index.html',
    // Nothing else: a dotfile or a folder listing is not the dashboard's.
    dotfiles: 'ignore',
    redirect: false,
    setHeaders: (response, path) =>
      response.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : ASSET_CACHE),
  });
  // An API request skips the file lookup: a stat on disk, and a trip through libuv's thread pool, for each
  // read was a tenth of the by-id route's CPU.
  app.use((request: Request, response: Response, next: NextFunction) =>
    NOT_THE_DASHBOARD.test(request.path) ? next() : files(request, response, next),
  );
  return true;
}
