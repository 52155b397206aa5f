import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette, startRecorder, startServer } from '../src/index.js';
import { jsonInteraction, writeCassette } from './support/cassette.js';

const HEADERS = { 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': 'standard_links0key', 'content-type': 'application/json' };
const OUTSIDE_TEXT = 'root:x:0:0:outside-file-content:/root:/bin/bash\n';

let folder = '';
let upstream: Server;
let upstreamUrl = '';

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vcr-links-'));
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ $id: 'db1', name: 'db', $createdAt: '', $updatedAt: '', enabled: true })),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await rm(folder, { recursive: true, force: true });
});

/** A cassettes folder and, outside it, a file that links planted in the folder point to. */
async function plant(name: string): Promise<{ cassettes: string; outside: string }> {
  const cassettes = await mkdtemp(join(folder, `${name}-`));
  const outside = join(folder, `${name}-outside.txt`);
  await writeFile(outside, OUTSIDE_TEXT);
  return { cassettes, outside };
}

describe('replay refuses a journal that is a link', () => {
  it('answers 500 naming the link, never echoing what the linked file holds, and never reads through it', async () => {
    const { cassettes, outside } = await plant('replay-journal');
    await writeCassette(cassettes, 'default', [jsonInteraction('1', 'GET', '/v1/health', 200, { status: 'pass' })]);
    await symlink(outside, join(cassettes, 'default.json.journal'));
    const server = await startServer({ port: 0, cassettes });
    try {
      const res = await fetch(`${server.endpoint}/health`, { headers: HEADERS });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { message: string; type: string };
      expect(body.type).toBe('general_server_error');
      expect(body.message).toMatch(/default\.json\.journal": it is a link/);
      expect(body.message).not.toMatch(/root|outside-file-content/);
    } finally {
      await server.close();
    }
  });

  it('never echoes the content of a journal that is not JSON in the error', async () => {
    const { cassettes } = await plant('replay-garbage');
    await writeCassette(cassettes, 'default', []);
    await writeFile(join(cassettes, 'default.json.journal'), OUTSIDE_TEXT);
    const server = await startServer({ port: 0, cassettes });
    try {
      const res = await fetch(`${server.endpoint}/health`, { headers: HEADERS });
      expect(res.status).toBe(500);
      const { message } = (await res.json()) as { message: string };
      expect(message).toMatch(/line 1: invalid JSON/);
      expect(message).not.toMatch(/root|outside-file-content/);
    } finally {
      await server.close();
    }
  });
});

describe('record never writes through a link', () => {
  it('refuses to append to a journal that is a link, leaving the linked file as it was', async () => {
    const { cassettes, outside } = await plant('record-journal');
    await symlink(outside, join(cassettes, 'default.json.journal'));
    const recorder = await startRecorder({ upstream: upstreamUrl, port: 0, cassettes });
    try {
      const res = await fetch(`${recorder.endpoint}/databases`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ databaseId: 'db1', name: 'db' }) });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { message: string }).message).toMatch(/it is a link/);
    } finally {
      await recorder.close();
    }
    expect(await readFile(outside, 'utf8')).toBe(OUTSIDE_TEXT);
  });

  it('folds the journal through a temporary file of its own, not through links planted under the temporary names', async () => {
    const { cassettes, outside } = await plant('record-fold');
    // lowdb's steno writes `.<file>.tmp`; other tools `<file>.tmp`: both planted.
    await symlink(outside, join(cassettes, '.default.json.tmp'));
    await symlink(outside, join(cassettes, 'default.json.tmp'));
    const recorder = await startRecorder({ upstream: upstreamUrl, port: 0, cassettes });
    try {
      const res = await fetch(`${recorder.endpoint}/databases`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ databaseId: 'db1', name: 'db' }) });
      expect(res.status).toBe(201);
    } finally {
      await recorder.close();
    }
    expect(await readFile(outside, 'utf8')).toBe(OUTSIDE_TEXT);
    expect((await readCassette(join(cassettes, 'default.json'))).interactions).toHaveLength(1);
    // No temporary file of the fold is left behind.
    expect((await readdir(cassettes)).sort()).toEqual(['.default.json.tmp', 'default.json', 'default.json.tmp']);
  });
});
