import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The browser bundle of the `appwrite` web SDK (14.0.1, a devDependency), as a page loads it from a CDN. */
const SDK_BUNDLE = join(dirname(createRequire(import.meta.url).resolve('appwrite/package.json')), 'dist', 'iife', 'sdk.js');

export interface PageServer {
  /** The page's origin, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A web app's origin on its own loopback port: `/` is an empty page that loads the web SDK from
 * `/sdk.js`, which defines the `Appwrite` global; the favicon is empty, anything else is 404.
 */
export async function startPageServer(): Promise<PageServer> {
  const sdk = await readFile(SDK_BUNDLE);
  const page = Buffer.from(
    '<!doctype html><html><head><meta charset="utf-8"><title>app</title><script src="/sdk.js"></script></head><body><main id="app"></main></body></html>',
  );
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length }).end(page);
    else if (path === '/sdk.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': sdk.length }).end(sdk);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404, { 'content-length': 0 }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
