import { Agent } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCassette, type CassetteFile } from '../src/cassette/cassette-format.js';
import { startRecorder } from '../src/index.js';
import { pool, send } from './support/http-client.js';
import { useFakeUpstream } from './support/fake-upstream.js';

const KEY = 'standard_reliability0key';
const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': KEY };

const fake = useFakeUpstream('vcr-record-reliability-', KEY);

async function cassetteAt(file: string): Promise<CassetteFile> {
  return parseCassette(await readFile(file, 'utf8'), file);
}

const databaseIdOf = (cassette: CassetteFile): string[] =>
  cassette.interactions.map((i) => (i.request.body as { value: { databaseId: string } }).value.databaseId);

describe('record under load', () => {
  it('stores 2,000 requests over 100 connections into 5 cassettes at once: every one, once, in valid files', async () => {
    const cassettes = await mkdtemp(join(fake.folder, 'load-'));
    const recorder = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes });
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const ids = Array.from({ length: 2_000 }, (_, i) => `load${i.toString().padStart(5, '0')}`);
    const failures: string[] = [];
    try {
      await pool(ids.length, 100, async (i) => {
        const id = ids[i] as string;
        const answer = await send(
          agent,
          `${recorder.endpoint}/databases`,
          'POST',
          { ...HEADERS, 'x-vcr-cassette': `load-${i % 5}` },
          JSON.stringify({ databaseId: id, name: id }),
        );
        if (answer.status !== 201 || !answer.body.toString().includes(`"$id":"${id}"`))
          failures.push(`${id}: ${answer.status} ${answer.body.toString().slice(0, 120)}`);
      });
      await recorder.flush();
    } finally {
      agent.destroy();
      await recorder.close();
    }
    expect(failures).toEqual([]);
    const stored: string[] = [];
    for (let c = 0; c < 5; c++) {
      const ofThis = databaseIdOf(await cassetteAt(join(cassettes, `load-${c}.json`)));
      expect(ofThis).toHaveLength(400);
      expect(ofThis.every((id) => Number(id.slice(4)) % 5 === c)).toBe(true);
      stored.push(...ofThis);
    }
    expect(stored).toHaveLength(2_000);
    expect(new Set(stored)).toEqual(new Set(ids));
    expect((await readdir(cassettes)).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
  });
});

/** A broken upstream: what it does depends on the `x-fault` header. */
function faultyUpstream(): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((socket: Socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const fault = /x-fault: ([\w-]+)/i.exec(head)?.[1] ?? 'none';
      const json = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n';
      const good = '{"name":"database","ping":1,"status":"pass"}';
      switch (fault) {
        case 'reset-mid-answer':
          socket.write(`${json}content-length: ${good.length}\r\n\r\n${good.slice(0, 10)}`, () => socket.resetAndDestroy());
          break;
        case 'not-http':
          socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n');
          break;
        case 'truncated-chunked':
          socket.end(`${json}transfer-encoding: chunked\r\n\r\n10\r\n${good.slice(0, 16)}\r\n`);
          break;
        case 'close-after-headers':
          socket.end(`${json}content-length: ${good.length}\r\n\r\n`);
          break;
        case 'invalid-json':
          socket.end(`${json}content-length: 9\r\nconnection: close\r\n\r\n{"name":"`);
          break;
        default:
          socket.end(`${json}content-length: ${good.length}\r\nconnection: close\r\n\r\n${good}`);
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1` })),
  );
}

describe('record in front of a broken upstream', () => {
  it.each(['reset-mid-answer', 'not-http', 'truncated-chunked', 'close-after-headers'])(
    "answers 502 in Appwrite's shape when the upstream does %s, records nothing of it, and serves the next request",
    async (fault) => {
      const { server, endpoint } = await faultyUpstream();
      const cassettes = await mkdtemp(join(fake.folder, 'fault-'));
      const recorder = await startRecorder({ upstream: endpoint, port: 0, cassettes });
      try {
        const res = await fetch(`${recorder.endpoint}/health`, { headers: { ...HEADERS, 'x-fault': fault } });
        expect(res.status).toBe(502);
        const body = (await res.json()) as Record<string, unknown>;
        expect(Object.keys(body).sort()).toEqual(['code', 'message', 'type', 'version']);
        expect(body).toMatchObject({ code: 502, type: 'general_server_error', version: '1.5.0' });
        expect(body.message).toMatch(/^Failed to forward to "http:\/\/127\.0\.0\.1:\d+\/v1": /);
        const next = await fetch(`${recorder.endpoint}/health`, { headers: HEADERS });
        expect(next.status).toBe(200);
        await recorder.flush();
        const cassette = await cassetteAt(join(cassettes, 'default.json'));
        expect(cassette.interactions).toHaveLength(1);
        expect(cassette.interactions[0]?.response.status).toBe(200);
      } finally {
        await recorder.close();
        server.close();
      }
    },
  );

  it('records an answer that arrived whole but is not the JSON it claims, faithfully and with a violation', async () => {
    const { server, endpoint } = await faultyUpstream();
    const cassettes = await mkdtemp(join(fake.folder, 'fault-'));
    const recorder = await startRecorder({ upstream: endpoint, port: 0, cassettes });
    try {
      const res = await fetch(`${recorder.endpoint}/health`, { headers: { ...HEADERS, 'x-fault': 'invalid-json' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"name":"');
      expect(res.headers.get('x-vcr-violations')).toBe('1');
      await recorder.flush();
      const [stored] = (await cassetteAt(join(cassettes, 'default.json'))).interactions;
      expect(stored?.response.body).toEqual({ kind: 'text', value: '{"name":"' });
      expect(stored?.violations).toEqual([
        expect.objectContaining({ side: 'response', kind: 'type-mismatch', path: '', message: 'body must be JSON, got text' }),
      ]);
    } finally {
      await recorder.close();
      server.close();
    }
  });
});
