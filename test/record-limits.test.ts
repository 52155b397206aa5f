import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder } from '../src/index.js';

const HEADERS = { 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': 'standard_limits0key' };
const LIMIT = 256 * 1024;
/** 64 MB of JSON-ish zeros in about 64 KB of gzip: a small compression bomb. */
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x30), { level: 9 });

let upstream: Server;
let upstreamUrl = '';
/** Set once the endless answer's socket closed: the recorder stopped reading it. */
let endlessClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/v1/health/time')) {
      // An answer that never ends: 64 KiB chunks for as long as someone reads them.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      endlessClosed = new Promise((resolve) => res.once('close', () => resolve()));
      pump();
      return;
    }
    if (req.url?.startsWith('/v1/health/db')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': BOMB.length }).end(BOMB);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'pass', ping: 1, name: 'database' }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('record keeps what it buffers of an answer under --max-body', () => {
  it("answers 502 in Appwrite's shape for an endless answer and for a compression bomb, stores nothing of either, and serves the next request", async () => {
    expect(BOMB.length).toBeLessThan(LIMIT);
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-limits-'));
    const recorder = await startRecorder({ upstream: upstreamUrl, port: 0, cassettes, maxBodyBytes: LIMIT });
    try {
      const endless = await fetch(`${recorder.endpoint}/health/time`, { headers: HEADERS });
      expect(endless.status).toBe(502);
      expect(await endless.json()).toEqual({
        message: `Failed to forward to "${upstreamUrl}": its answer is larger than the limit of ${LIMIT} bytes as sent (--max-body); nothing was recorded`,
        code: 502,
        type: 'general_server_error',
        version: '1.5.0',
      });
      // The upstream connection was dropped, not read to its end.
      await endlessClosed;
      const bomb = await fetch(`${recorder.endpoint}/health/db`, { headers: { ...HEADERS, 'accept-encoding': 'gzip' } });
      expect(bomb.status).toBe(502);
      expect(((await bomb.json()) as { message: string }).message).toMatch(
        /larger than the limit of 262144 bytes once decoded \(--max-body\); nothing was recorded$/,
      );
      await recorder.flush();
      expect((await readdir(cassettes)).filter((name) => !name.endsWith('.lock'))).toEqual([]);
      const next = await fetch(`${recorder.endpoint}/health`, { headers: HEADERS });
      expect(next.status).toBe(200);
    } finally {
      await recorder.close();
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});
