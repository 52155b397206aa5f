import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { pool, send, type HttpAnswer } from './support/http-client.js';
import { KEY_HEADERS } from './support/server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const REQUESTS = 20_000;
const CONNECTIONS = 100;
const RECORDED = 50;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** Returns what is wrong with the answer, or null. */
  check(answer: HttpAnswer, json: () => Record<string, unknown>): string | null;
}

/**
 * Request `i` of the mix: 40 % cassette hits, 40 % the stateful fallback (reads, updates, a 404),
 * 20 % the schema fallback (JSON and PNG). Each knows its expected answer.
 */
function call(i: number, seen: Map<string, Buffer>): Call {
  const k = i % RECORDED;
  const source = (answer: HttpAnswer, expected: string, fallback?: string): string | null =>
    answer.headers['x-vcr-source'] !== expected || answer.headers['x-vcr-fallback'] !== fallback
      ? `came from ${String(answer.headers['x-vcr-source'])}/${String(answer.headers['x-vcr-fallback'])}`
      : null;
  const sameAsFirst = (key: string, answer: HttpAnswer): string | null => {
    const first = seen.get(key);
    if (!first) seen.set(key, answer.body);
    return first && !first.equals(answer.body) ? 'the same request got a different generated body' : null;
  };
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return {
        method: 'GET',
        path: `/users/rec-${k}`,
        check: (a, json) =>
          a.status !== 200
            ? `status ${a.status}`
            : (source(a, 'cassette') ?? (JSON.stringify(json()) !== JSON.stringify(user(`rec-${k}`, `Recorded ${k}`)) ? 'not the recorded body' : null)),
      };
    case 4:
    case 5:
      return {
        method: 'GET',
        path: `/users/state-${k}`,
        check: (a, json) =>
          a.status !== 200
            ? `status ${a.status}`
            : (source(a, 'fallback', 'state') ?? (json().$id !== `state-${k}` || json().name !== `State ${k}` ? 'not the created user' : null)),
      };
    case 6:
      return {
        method: 'PATCH',
        path: `/users/patch-${k}/name`,
        body: { name: `name ${i}` },
        check: (a, json) =>
          a.status !== 200
            ? `status ${a.status}`
            : (source(a, 'fallback', 'state') ?? (json().name !== `name ${i}` ? 'the update is not in the answer' : null)),
      };
    case 7:
      return {
        method: 'GET',
        path: `/users/missing-${k}`,
        check: (a, json) =>
          a.status !== 404
            ? `status ${a.status}`
            : (source(a, 'fallback', 'state') ??
              (JSON.stringify(json()) !==
              JSON.stringify({ message: 'User with the requested ID could not be found.', code: 404, type: 'user_not_found', version: '1.5.0' })
                ? "not Appwrite's user_not_found"
                : null)),
      };
    case 8:
      return {
        method: 'GET',
        path: '/locale/continents',
        check: (a, json) =>
          a.status !== 200
            ? `status ${a.status}`
            : (source(a, 'fallback', 'schema') ?? (typeof json().total !== 'number' ? 'no total' : sameAsFirst('continents', a))),
      };
    default:
      return {
        method: 'GET',
        path: `/avatars/initials?name=L${k % 5}`,
        check: (a) =>
          a.status !== 200
            ? `status ${a.status}`
            : (source(a, 'fallback', 'schema') ?? (!a.body.subarray(0, 8).equals(PNG) ? 'not a PNG' : sameAsFirst(`png ${k % 5}`, a))),
      };
  }
}

describe('replay under load', () => {
  let server: ServerProcess;
  let dir: string;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const seen = new Map<string, Buffer>();

  async function run(count: number, offset: number): Promise<{ failures: string[]; sockets: Set<Socket>; answered: number }> {
    const failures: string[] = [];
    const sockets = new Set<Socket>();
    let answered = 0;
    await pool(count, CONNECTIONS, async (n) => {
      const i = offset + n;
      const c = call(i, seen);
      const headers: Record<string, string> = { ...KEY_HEADERS };
      if (c.body !== undefined) headers['content-type'] = 'application/json';
      try {
        const answer = await send(agent, `${server.endpoint}${c.path}`, c.method, headers, c.body === undefined ? undefined : JSON.stringify(c.body));
        sockets.add(answer.socket);
        answered++;
        const problem = c.check(answer, () => JSON.parse(answer.body.toString()) as Record<string, unknown>);
        if (problem) failures.push(`${c.method} ${c.path}: ${problem}`);
        if (answer.headers['x-vcr-violations']) failures.push(`${c.method} ${c.path}: ${String(answer.headers['x-vcr-violations'])} contract violations`);
      } catch (err) {
        failures.push(`${c.method} ${c.path}: ${(err as Error).message}`);
      }
    });
    return { failures, sockets, answered };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-load-'));
    await writeCassette(
      dir,
      'load',
      Array.from({ length: RECORDED }, (_, k) => jsonInteraction(String(k), 'GET', `/v1/users/rec-${k}`, 200, user(`rec-${k}`, `Recorded ${k}`))),
    );
    server = await startServerProcess({ cassettes: dir, cassette: 'load' });
    const headers = { ...KEY_HEADERS, 'content-type': 'application/json' };
    for (let k = 0; k < RECORDED; k++) {
      for (const prefix of ['state', 'patch']) {
        const created = await send(agent, `${server.endpoint}/users`, 'POST', headers, JSON.stringify({ userId: `${prefix}-${k}`, name: `State ${k}` }));
        if (created.status !== 201) throw new Error(`Failed to create user ${prefix}-${k}: ${created.status} ${created.body.toString()}`);
      }
    }
  });
  afterAll(async () => {
    agent.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 20,000 mixed requests over 100 keep-alive connections, each as expected, and holds no more memory afterwards', async () => {
    // Warm-up: every validator compiled, every cassette loaded, every socket open, before the first measure.
    const warm = await run(2_000, 0);
    expect(warm.failures).toEqual([]);
    const before = await server.heap();

    const load = await run(REQUESTS, 2_000);
    expect(load.failures.slice(0, 10)).toEqual([]);
    expect(load.failures).toHaveLength(0);
    expect(load.answered).toBe(REQUESTS);
    expect(load.sockets.size).toBe(CONNECTIONS);

    const after = await server.heap();
    const growth = (after.heapUsed - before.heapUsed) / before.heapUsed;
    // Printed for the reliability table in docs/reliability.md.
    console.info(
      `load: ${REQUESTS} requests, ${load.sockets.size} connections, 0 errors, heap ${(before.heapUsed / 1e6).toFixed(1)} MB -> ${(after.heapUsed / 1e6).toFixed(1)} MB (${(growth * 100).toFixed(1)} %)`,
    );
    expect(Math.abs(growth)).toBeLessThan(0.2);
    expect(after.polluted).toEqual([]);

    const summary = await server.stop();
    expect(summary.requests).toBe(2 * RECORDED + 2_000 + REQUESTS);
    expect(summary.cassetteHits).toBe(0.4 * (2_000 + REQUESTS));
    expect(summary.errors).toBe(0);
  });
});
