/**
 * The reference dashboard at /dashboard: a static page, its stylesheets (ours and the chart
 * library's) and one ES module bundled from gateway/dashboard/src (TypeScript, the typed client,
 * graphql-ws, uPlot for the trend charts) by esbuild on first
 * request and kept in memory. The page holds no data of its own: it signs in with a DASHBOARD
 * token and asks /graphql like any client. In development a "development login" asks
 * /dashboard/dev-token for a short DASHBOARD token; that endpoint exists only in development on a loopback address.
 */
import fs from 'node:fs/promises';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, type Config } from '../subgraphs/common/config.js';
import { issueDevToken } from '../subgraphs/common/auth/dev-tokens.js';
import type { Route } from './respond.js';

const DIR = path.join(REPO_ROOT, 'gateway', 'dashboard');
/** The chart library's stylesheet (legend and title layout), served beside ours. */
const UPLOT_CSS = createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css');
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; img-src 'self' data:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Answers /dashboard… paths. */
export function dashboard(config: Config): Route {
  let bundle: Promise<string> | undefined;
  const build = async () => {
    const { build: esbuild } = await import('esbuild');
    const result = await esbuild({
      entryPoints: [path.join(DIR, 'src', 'main.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: config.env === 'production',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  };

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };

  return {
    handle(req, res, pathname) {
      if (pathname !== '/dashboard' && !pathname.startsWith('/dashboard/')) return false;
      const file = pathname.slice('/dashboard'.length) || '/';
      const fail = (error: unknown) => send(res, 500, 'text/plain; charset=utf-8', `dashboard unavailable: ${(error as Error).message}`);
      if (file === '/dev-token') {
        if (config.env === 'production' || !config.devLogin || req.method !== 'POST') {
          send(res, 404, 'application/json', JSON.stringify({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] }));
        } else {
          issueDevToken(config, { role: 'DASHBOARD', subject: 'dev:dashboard-page', ttlSeconds: 8 * 3600 }).then(
            (token) => send(res, 200, 'application/json', JSON.stringify({ token })),
            fail,
          );
        }
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
        return true;
      }
      if (file === '/' || file === '/index.html') {
        fs.readFile(path.join(DIR, 'index.html')).then((html) => send(res, 200, 'text/html; charset=utf-8', html), fail);
      } else if (file === '/style.css') {
        fs.readFile(path.join(DIR, 'style.css')).then((css) => send(res, 200, 'text/css; charset=utf-8', css), fail);
      } else if (file === '/uplot.css') {
        fs.readFile(UPLOT_CSS).then((css) => send(res, 200, 'text/css; charset=utf-8', css), fail);
      } else if (file === '/app.js') {
        bundle ??= build().catch((error: unknown) => {
          bundle = undefined;
          throw error;
        });
        bundle.then((js) => send(res, 200, 'text/javascript; charset=utf-8', js), fail);
      } else {
        send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      }
      return true;
    },
  };
}
