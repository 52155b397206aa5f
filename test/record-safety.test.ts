import { existsSync, watch } from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCassette, type CassetteFile } from '../src/cassette/cassette-format.js';
import { journalPath, readCassette } from '../src/cassette/cassette-journal.js';
import { lintCassettes, startRecorder, startServer, type StartRecorderOptions, type VcrRecorder } from '../src/index.js';
import { startChild } from './support/child-process.js';
import { useFakeUpstream } from './support/fake-upstream.js';

const KEY = 'standard_safety0key';
const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': KEY };

const fake = useFakeUpstream('vcr-record-safety-', KEY);

let counter = 0;
/** An ID of the `ID.unique()` shape, different on every call. */
function newId(): string {
  counter++;
  return `${Math.floor(Date.now() / 1000).toString(16)}00000${counter.toString(16).padStart(7, '0')}`;
}

async function withRecorder<T>(options: Partial<StartRecorderOptions>, use: (recorder: VcrRecorder, cassettes: string) => Promise<T>): Promise<T> {
  const cassettes = await mkdtemp(join(fake.folder, 'c-'));
  const recorder = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, ...options });
  try {
    return await use(recorder, cassettes);
  } finally {
    await recorder.close();
  }
}

async function cassetteAt(file: string): Promise<CassetteFile> {
  return parseCassette(await readFile(file, 'utf8'), file);
}

function createDatabase(endpoint: string, id = newId(), headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${endpoint}/databases`, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify({ databaseId: id, name: `db ${id}` }) });
}

/** Resolves at the next change of `name` inside `dir`. */
function fileEvent(dir: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, changed) => {
      if (changed !== name) return;
      watcher.close();
      resolve();
    });
  });
}

async function upstreamLog(): Promise<{ method: string; url: string; headers: Record<string, string>; bytes: number }[]> {
  return (await (await fetch(`${fake.upstream.endpoint.replace(/\/v1$/, '')}/__fake/log`)).json()) as never;
}

describe('record keeps every interaction of concurrent and interrupted traffic', () => {
  it('stores 200 requests sent at once to one cassette as 200 interactions, none lost or repeated', async () => {
    await withRecorder({}, async (recorder, cassettes) => {
      const ids = Array.from({ length: 200 }, () => newId());
      const statuses = await Promise.all(ids.map(async (id) => (await createDatabase(recorder.endpoint, id)).status));
      expect(statuses.every((s) => s === 201)).toBe(true);
      await recorder.flush();
      const cassette = await cassetteAt(join(cassettes, 'default.json'));
      const stored = cassette.interactions.map((i) => (i.request.body as { value: { databaseId: string } }).value.databaseId);
      expect(stored).toHaveLength(200);
      expect(new Set(stored)).toEqual(new Set(ids));
    });
  });

  it('keeps what a recorder killed with SIGKILL while appending had written, drops a half-written line, and the next recorder takes over and folds it in', async () => {
    const cassettes = await mkdtemp(join(fake.folder, 'kill-'));
    const file = join(cassettes, 'kill.json');
    const recorder = await startChild('test/support/cli-entry.ts', [
      'record',
      '--port',
      '0',
      '--quiet',
      '--upstream',
      fake.upstream.endpoint,
      '--cassettes',
      cassettes,
      '--cassette',
      'kill',
    ]);
    let answered = 0;
    let running = true;
    let reached: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (reached = resolve));
    const worker = async (): Promise<void> => {
      while (running) {
        try {
          await createDatabase(recorder.endpoint);
        } catch {
          return; // the recorder is gone
        }
        if (++answered >= 150) reached();
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await enough;
    // Kill the moment the journal changes: an append is under way.
    await fileEvent(cassettes, 'kill.json.journal');
    await recorder.stop('SIGKILL');
    running = false;
    await Promise.all(workers);

    // Never stopped, so never folded: the journal holds it all, and readers read it.
    expect(existsSync(file)).toBe(false);
    const cassette = await readCassette(file);
    expect(cassette.interactions.length).toBeGreaterThan(0);
    expect(cassette.interactions.length).toBeLessThanOrEqual(answered + 8);
    expect(cassette.interactions.every((i) => i.operationId === 'databasesCreate' && i.response.status === 201)).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(true);
    // What a kill in the middle of a line leaves: a line without its end.
    await appendFile(journalPath(file), '{"id":"half-written","operationId":"databasesCre');
    expect((await readCassette(file)).interactions).toHaveLength(cassette.interactions.length);
    // Replay serves the journal's interactions, and lint reads them.
    const replay = await startServer({ port: 0, cassettes, cassette: 'kill', fallback: 'schema' });
    try {
      const first = cassette.interactions[0]?.request.body as { value: { databaseId: string } };
      const replayed = await createDatabase(replay.endpoint, first.value.databaseId);
      expect(replayed.headers.get('x-vcr-source')).toBe('cassette');
      expect(((await replayed.json()) as { $id: string }).$id).toBe(first.value.databaseId);
    } finally {
      await replay.close();
    }
    const linted = await lintCassettes({ cassettes });
    expect(linted.summary.interactions).toBe(cassette.interactions.length);
    expect(linted.inputProblems).toEqual([]);

    const next = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'kill' });
    try {
      expect((await createDatabase(next.endpoint)).status).toBe(201);
    } finally {
      await next.close();
    }
    // Folded into one JSON document: the journal and the lock are gone.
    const folded = await cassetteAt(file);
    expect(folded.interactions).toHaveLength(cassette.interactions.length + 1);
    expect(folded.interactions.slice(0, -1).map((i) => i.id)).toEqual(cassette.interactions.map((i) => i.id));
    expect(existsSync(journalPath(file))).toBe(false);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses to record into a cassette another recorder holds, with a clear error, until that one stops', async () => {
    await withRecorder({ cassette: 'shared' }, async (first, cassettes) => {
      expect((await createDatabase(first.endpoint)).status).toBe(201);
      const second = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'shared' });
      try {
        const res = await createDatabase(second.endpoint);
        expect(res.status).toBe(500);
        expect(((await res.json()) as { message: string }).message).toMatch(
          /^Failed to record into cassette ".*shared\.json": process \d+ is recording into it/,
        );
        await first.close();
        expect((await createDatabase(second.endpoint)).status).toBe(201);
      } finally {
        await second.close();
      }
    });
  });
});

describe("record answers upstream failures in Appwrite's error shape and records nothing", () => {
  it('answers 502 when the upstream refuses the connection, and keeps serving', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await withRecorder({ upstream: `http://127.0.0.1:${port}/v1` }, async (recorder, cassettes) => {
      for (let i = 0; i < 2; i++) {
        const res = await createDatabase(recorder.endpoint);
        expect(res.status).toBe(502);
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ code: 502, type: 'general_server_error', version: '1.5.0' });
        expect(body.message).toMatch(/^Failed to forward to "http:\/\/127\.0\.0\.1:\d+\/v1": connection refused/);
      }
      await recorder.flush();
      expect((await readdir(cassettes)).filter((n) => n.endsWith('.json'))).toEqual([]);
    });
  });

  it('sends a request again on a fresh connection when the upstream closed the kept-alive one, and answers 502 when a fresh one fails too', async () => {
    // An upstream that answers the first request of a connection and drops the connection at the
    // second, as a server whose idle timeout fires just as the request goes out; `drop-all` drops every one.
    let connections = 0;
    let drops = 0;
    let mode: 'drop-second' | 'drop-all' = 'drop-second';
    const body = JSON.stringify({ status: 'pass', ping: 0, name: 'database' });
    const upstream = createServer((socket) => {
      connections++;
      let requests = 0;
      socket.on('data', (chunk: Buffer) => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        if (++requests > 1 || mode === 'drop-all') {
          drops++;
          socket.destroy();
          return;
        }
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
        );
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    try {
      await withRecorder({ upstream: `http://127.0.0.1:${port}/v1`, cassette: 'stale' }, async (recorder, cassettes) => {
        const health = () => fetch(`${recorder.endpoint}/health/db`, { headers: HEADERS });
        for (let i = 0; i < 3; i++) expect((await health()).status).toBe(200);
        // Each request after the first found its kept-alive connection dropped and went again on a new one.
        expect({ connections, drops }).toEqual({ connections: 3, drops: 2 });
        mode = 'drop-all';
        const failed = await health();
        expect(failed.status).toBe(502);
        expect(((await failed.json()) as { message: string }).message).toMatch(/connection reset/);
        await recorder.flush();
        expect((await cassetteAt(join(cassettes, 'stale.json'))).interactions.map((i) => i.response.status)).toEqual([200, 200, 200]);
      });
    } finally {
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it('answers 504 when the upstream does not answer within --upstream-timeout, and keeps serving', async () => {
    await withRecorder({ upstreamTimeoutMs: 300, cassette: 'slow' }, async (recorder, cassettes) => {
      const res = await createDatabase(recorder.endpoint, newId(), { 'x-test-hang': '1' });
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({
        code: 504,
        type: 'general_server_error',
        message: expect.stringContaining('no answer within 300 ms') as unknown,
      });
      expect((await createDatabase(recorder.endpoint)).status).toBe(201);
      await recorder.flush();
      const cassette = await cassetteAt(join(cassettes, 'slow.json'));
      expect(cassette.interactions.map((i) => i.response.status)).toEqual([201]);
    });
  });

  it('answers 413 to a body over the limit without forwarding it', async () => {
    await withRecorder({ maxBodyBytes: 2_000 }, async (recorder) => {
      const marker = newId();
      const res = await fetch(`${recorder.endpoint}/databases?marker=${marker}`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ databaseId: marker, name: 'x'.repeat(5_000) }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 413, type: 'general_argument_invalid' });
      expect((await upstreamLog()).some((entry) => entry.url.includes(marker))).toBe(false);
    });
  });
});

describe('record routing, modes and validation', () => {
  it('picks the cassette from X-Vcr-Cassette and never forwards that header', async () => {
    await withRecorder({}, async (recorder, cassettes) => {
      const id = newId();
      const res = await fetch(`${recorder.endpoint}/databases?marker=${id}`, {
        method: 'POST',
        headers: { ...HEADERS, 'x-vcr-cassette': 'suite/picked' },
        body: JSON.stringify({ databaseId: id, name: 'Picked' }),
      });
      expect(res.status).toBe(201);
      await recorder.flush();
      const cassette = await cassetteAt(join(cassettes, 'suite', 'picked.json'));
      expect(cassette.interactions.map((i) => i.request.query)).toEqual([{ marker: id }]);
      expect(cassette.interactions[0]?.request.headers['x-vcr-cassette']).toBeUndefined();
      const forwarded = (await upstreamLog()).filter((entry) => entry.url.includes(id));
      expect(forwarded).toHaveLength(1);
      expect(forwarded[0]?.headers['x-vcr-cassette']).toBeUndefined();
      expect(forwarded[0]?.headers['x-appwrite-key']).toBe(KEY);
    });
  });

  it('in mode new answers a recorded request from the cassette and forwards only what it lacks', async () => {
    await withRecorder({ mode: 'new', cassette: 'episodes' }, async (recorder, cassettes) => {
      const count = async (): Promise<number> => (await upstreamLog()).filter((e) => e.url === '/v1/health').length;
      const before = await count();
      const first = await fetch(`${recorder.endpoint}/health`, { headers: HEADERS });
      const second = await fetch(`${recorder.endpoint}/health`, { headers: HEADERS });
      expect([first.headers.get('x-vcr-source'), second.headers.get('x-vcr-source')]).toEqual(['upstream', 'cassette']);
      const health = { name: 'http', ping: 1, status: 'pass' };
      expect([await first.json(), await second.json()]).toEqual([health, health]);
      expect(await count()).toBe(before + 1);
      await recorder.flush();
      expect((await cassetteAt(join(cassettes, 'episodes.json'))).interactions).toHaveLength(1);
    });
  });

  it('forwards a route the spec does not know and records nothing of it', async () => {
    await withRecorder({ cassette: 'unknown' }, async (recorder, cassettes) => {
      const res = await fetch(`${recorder.endpoint}/no/such/route`, { headers: HEADERS });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-vcr-source')).toBe('upstream');
      expect(res.headers.get('x-vcr-violations')).toBe('1');
      expect(await res.json()).toMatchObject({ code: 404, type: 'general_route_not_found' });
      expect((await upstreamLog()).some((entry) => entry.url === '/v1/no/such/route')).toBe(true);
      await recorder.flush();
      expect(existsSync(join(cassettes, 'unknown.json'))).toBe(false);
    });
  });

  it('forwards an answer that violates the contract unchanged, flags it, and stores the violations', async () => {
    await withRecorder({ cassette: 'drift' }, async (recorder, cassettes) => {
      const res = await fetch(`${recorder.endpoint}/health/time`, { headers: HEADERS });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ remoteTime: 'soon' });
      // The healthTime model: remoteTime is an integer, localTime and diff are required.
      expect(res.headers.get('x-vcr-violations')).toBe('3');
      expect(recorder.summary().byOperation.healthGetTime).toMatchObject({ requests: 1, requestViolations: 0, responseViolations: 3 });
      await recorder.flush();
      const [interaction] = (await cassetteAt(join(cassettes, 'drift.json'))).interactions;
      expect(interaction?.violations?.map((v) => [v.side, v.kind, v.path])).toEqual([
        ['response', 'required-missing', '/localTime'],
        ['response', 'required-missing', '/diff'],
        ['response', 'type-mismatch', '/remoteTime'],
      ]);
    });
  });
});

describe('record against an https upstream with a self-signed certificate', () => {
  it('refuses the certificate with a 502 that names --insecure, and accepts it with --insecure', async () => {
    const secure = await startChild('test/support/fake-appwrite.ts', [], { FAKE_API_KEY: KEY, FAKE_TLS: '1' });
    try {
      expect(secure.endpoint).toMatch(/^https:/);
      for (const insecure of [false, true]) {
        await withRecorder({ upstream: secure.endpoint, insecure, cassette: `tls-${insecure}` }, async (recorder) => {
          const res = await fetch(`${recorder.endpoint}/health`, { headers: HEADERS });
          if (insecure) {
            expect(res.status).toBe(200);
            expect(await res.json()).toEqual({ name: 'http', ping: 1, status: 'pass' });
          } else {
            expect(res.status).toBe(502);
            expect(((await res.json()) as { message: string }).message).toMatch(/TLS certificate is not trusted \(.*SELF_SIGNED.*\); --insecure accepts it/);
          }
        });
      }
    } finally {
      await secure.stop();
    }
  });
});
