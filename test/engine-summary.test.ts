import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { startRecorder, type Interaction } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer, KEY_HEADERS } from './support/server.js';

const key = { headers: { 'x-appwrite-key': '[redacted]' } };
/** A recorded `usersGet` with its operation named, as a recorder stores it. */
const recordedUser = (id: string, userId: string, value: unknown = user(userId, userId)): Interaction => ({
  ...jsonInteraction(id, 'GET', `/v1/users/${userId}`, 200, value, key),
  operationId: 'usersGet',
});

/** What a server counts of the requests it answered (`summary()`, printed at shutdown), and how replay shapes a recorded answer. */
describe('the engine: what replay counts and answers', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('counts each answer by where it came from and by operation, and each violation by side', async () => {
    server = await startTestServer({ fallback: 'schema' });
    await writeCassette(server.cassettes, 'default', [recordedUser('r0', 'ada', { ...user('ada', 'Ada'), nickname: 'Countess' })]);
    expect((await server.call('GET', '/users/ada')).headers.get('x-vcr-source')).toBe('cassette');
    const schema = await server.call('GET', '/users/bob');
    expect([schema.headers.get('x-vcr-source'), schema.headers.get('x-vcr-fallback')]).toEqual(['fallback', 'schema']);
    expect((await server.call('GET', '/users?nope=1')).status).toBe(200);
    expect((await server.call('GET', '/no/such/route')).status).toBe(404);
    expect((await server.call('POST', '/users', { body: {} })).status).toBe(400);
    expect(server.summary()).toEqual({
      requests: 5,
      cassetteHits: 1,
      fallbacks: 2,
      forwarded: 0,
      errors: 2,
      requestViolations: 2,
      responseViolations: 1,
      byOperation: {
        usersGet: { requests: 2, requestViolations: 0, responseViolations: 1 },
        usersList: { requests: 1, requestViolations: 1, responseViolations: 0 },
        '(unknown route)': { requests: 1, requestViolations: 0, responseViolations: 0 },
        usersCreate: { requests: 1, requestViolations: 1, responseViolations: 0 },
      },
      // Every request no recording matched is a miss, whatever answered it; the unknown route has no cassette.
      misses: 3,
      missed: [
        {
          cassette: 'default',
          operationId: 'usersGet',
          request: 'GET /v1/users/bob',
          recordings: 1,
          nearest: [{ id: 'r0', index: 0, differences: [{ where: 'path', recorded: '/v1/users/ada', sent: '/v1/users/bob' }] }],
          count: 1,
        },
        { cassette: 'default', operationId: 'usersList', request: 'GET /v1/users?nope=1', recordings: 0, nearest: [], count: 1 },
        { cassette: 'default', operationId: 'usersCreate', request: 'POST /v1/users', recordings: 0, nearest: [], count: 1 },
      ],
      missesNotListed: 0,
      unused: {},
      failed: false,
      failure: null,
    });
  });

  it('lists a repeated miss once with its count, and fails the run with failOnMiss, in the singular and the plural', async () => {
    server = await startTestServer({ fallback: 'none', failOnMiss: true });
    expect(server.summary()).toMatchObject({ misses: 0, failed: false, failure: null });
    expect((await server.call('GET', '/users/ada')).status).toBe(510);
    expect(server.summary()).toMatchObject({ misses: 1, failed: true, failure: '1 request matched no recording (failOnMiss)' });
    await server.call('GET', '/users/ada');
    await server.call('GET', '/users/bob');
    const summary = server.summary();
    expect(summary).toMatchObject({
      requests: 3,
      errors: 3,
      misses: 3,
      missesNotListed: 0,
      failed: true,
      failure: '3 requests matched no recording (failOnMiss)',
    });
    expect(summary.missed.map((m) => [m.request, m.count])).toEqual([
      ['GET /v1/users/ada', 2],
      ['GET /v1/users/bob', 1],
    ]);
  });

  it('keeps the first 200 distinct misses in detail and only counts the others, a repeat of a listed one included', async () => {
    server = await startTestServer({ fallback: 'none' });
    for (let i = 0; i < 202; i++) await server.call('GET', `/users/u${i}`);
    await server.call('GET', '/users/u0');
    await server.call('GET', '/users/u201');
    const summary = server.summary();
    expect([summary.misses, summary.missed.length, summary.missesNotListed, summary.failed]).toEqual([204, 200, 3, false]);
    expect([summary.missed[0], summary.missed[199]].map((m) => [m?.request, m?.count])).toEqual([
      ['GET /v1/users/u0', 2],
      ['GET /v1/users/u199', 1],
    ]);
  });

  it('lists the recordings of each cassette opened that no request replayed, with their place', async () => {
    server = await startTestServer();
    await writeCassette(server.cassettes, 'default', [recordedUser('r0', 'ada'), recordedUser('r1', 'bob'), recordedUser('r2', 'cy')]);
    await writeCassette(server.cassettes, 'other', [recordedUser('o0', 'ada')]);
    await writeCassette(server.cassettes, 'never', [recordedUser('n0', 'ada')]);
    expect(server.summary().unused).toEqual({});
    expect((await server.call('GET', '/users/bob')).headers.get('x-vcr-source')).toBe('cassette');
    expect((await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'other' } })).headers.get('x-vcr-source')).toBe('cassette');
    // What no recording holds, the state answers: it has no user zed.
    const zed = await server.call('GET', '/users/zed');
    expect([zed.status, zed.headers.get('x-vcr-fallback'), ((await zed.json()) as { type: string }).type]).toEqual([404, 'state', 'user_not_found']);
    expect(server.summary().unused).toEqual({
      default: [
        { id: 'r0', index: 0, operationId: 'usersGet', request: 'GET /v1/users/ada' },
        { id: 'r2', index: 2, operationId: 'usersGet', request: 'GET /v1/users/cy' },
      ],
    });
  });

  it('answers a recording that breaks the contract with a 502 under strict, and one with only warnings as recorded', async () => {
    server = await startTestServer({ fallback: 'none', strict: true });
    await writeCassette(server.cassettes, 'default', [
      recordedUser('r0', 'ada', { ...user('ada', 'Ada'), status: 'yes' }),
      recordedUser('r1', 'bob', { ...user('bob', 'Bob'), nickname: 'B' }),
      { ...recordedUser('r2', 'cy'), request: { method: 'GET', path: '/v1/users/cy', query: { nope: '1' }, headers: {}, body: null } },
    ]);
    const broken = await server.call('GET', '/users/ada');
    expect(broken.status).toBe(502);
    expect(await broken.json()).toEqual({
      message: 'Response violates the contract of usersGet: /status must be boolean',
      code: 502,
      type: 'general_server_error',
      version: '1.5.0',
    });
    const warned = await server.call('GET', '/users/bob');
    expect(warned.status).toBe(200);
    expect(((await warned.json()) as { nickname: string }).nickname).toBe('B');
    // A request's own violation (an unknown parameter) is no reason for strict to refuse the answer.
    const asked = await server.call('GET', '/users/cy?nope=1');
    expect([asked.status, asked.headers.get('x-vcr-violations')]).toEqual([200, '1']);
    expect(server.summary()).toMatchObject({ requests: 3, cassetteHits: 3, errors: 0, requestViolations: 1, responseViolations: 2 });
  });

  it("replays a recording's headers without the hop-by-hop and CORS ones, and a HEAD as the recorded GET", async () => {
    server = await startTestServer({ fallback: 'none' });
    const recorded = recordedUser('r0', 'ada');
    recorded.response.headers = {
      'content-type': 'application/json',
      'x-ratelimit-limit': '60',
      'keep-alive': 'timeout=77',
      'content-length': '9999',
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      trailer: 'x',
      'access-control-allow-origin': 'https://recorded.example',
    };
    await writeCassette(server.cassettes, 'default', [recorded, { ...recorded, id: 'r1' }]);
    const res = await server.call('GET', '/users/ada');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('keep-alive')).not.toBe('timeout=77');
    expect(res.headers.get('content-length')).toBe(String((await res.arrayBuffer()).byteLength));
    expect(res.headers.get('date')).not.toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(res.headers.get('trailer')).toBe(null);
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://recorded.example');
    const head = await fetch(`${server.endpoint}/users/ada`, { method: 'HEAD', headers: KEY_HEADERS });
    expect([head.status, head.headers.get('x-vcr-source'), head.headers.get('x-ratelimit-limit')]).toEqual([200, 'cassette', '60']);
    expect(server.summary()).toMatchObject({ requests: 2, cassetteHits: 2, misses: 0 });
  });

  it('pairs a new client-generated ID with the recorded one and answers with it, then reads the pair back; not with idMap off', async () => {
    const recorded = '66a0b1c2000120000001';
    const live = '66b0c1d2000340000011';
    const database = { name: 'Ledger', $createdAt: '2026-01-01T00:00:00.000+00:00', $updatedAt: '2026-01-01T00:00:00.000+00:00', enabled: true };
    const interactions: Interaction[] = [
      {
        ...jsonInteraction(
          'c',
          'POST',
          '/v1/databases',
          201,
          { $id: recorded, ...database },
          { ...key, body: { kind: 'json', value: { databaseId: recorded, name: 'Ledger' } } },
        ),
        operationId: 'databasesCreate',
      },
      { ...jsonInteraction('g', 'GET', `/v1/databases/${recorded}`, 200, { $id: recorded, ...database }, key), operationId: 'databasesGet' },
    ];
    for (const idMap of [true, false]) {
      server = await startTestServer({ fallback: 'none', idMap });
      await writeCassette(server.cassettes, 'default', interactions);
      const created = await server.call('POST', '/databases', { body: { databaseId: live, name: 'Ledger' } });
      const read = await server.call('GET', `/databases/${live}`);
      const answers = [created.status, ((await created.json()) as { $id: string }).$id, read.status, ((await read.json()) as { $id?: string }).$id];
      expect([idMap, answers]).toEqual(idMap ? [true, [201, live, 200, live]] : [false, [510, undefined, 510, undefined]]);
      await server.stop();
      server = undefined;
    }
  });

  it('routes by method and path under the base path only, and reads a JSON, text-typed or multipart body, or says why not', async () => {
    server = await startTestServer({ fallback: 'schema' });
    const notFound = { code: 404, type: 'general_route_not_found' };
    const error = async (res: Response) => ({ status: res.status, ...((await res.json()) as { code: number; type: string }) });
    for (const url of [`${server.url}/v2/users/ada`, `${server.url}/v1`, `${server.url}/v1x/users/ada`, `${server.url}/users/ada`]) {
      expect([url, await error(await fetch(url, { headers: KEY_HEADERS }))]).toEqual([
        url,
        { status: 404, ...notFound, message: 'The requested route was not found. Please refer to the API docs and try again.', version: '1.5.0' },
      ]);
    }
    expect((await fetch(`${server.endpoint}/users/ada?x=1`, { method: 'head', headers: KEY_HEADERS })).status).toBe(200);
    // Appwrite reads an unparsable JSON body as no parameters: the first required one is missing.
    const broken = await server.call('POST', '/users', { body: '{"userId": ', headers: { 'content-type': 'application/json' } });
    expect(await error(broken)).toMatchObject({ status: 400, type: 'general_argument_invalid', message: 'Param "userId" is not optional.' });
    const untyped = await server.call('POST', '/users', { body: JSON.stringify({ userId: 'ada', name: 'Ada' }), headers: { 'content-type': '' } });
    expect([untyped.status, ((await untyped.json()) as { $id: string }).$id]).toEqual([201, 'ada']);
    const form = new FormData();
    form.set('fileId', 'f1');
    form.set('file', new Blob([Buffer.from('hello')]), 'hello.txt');
    const upload = await fetch(`${server.endpoint}/storage/buckets/b/files`, { method: 'POST', headers: KEY_HEADERS, body: form });
    expect([upload.status, ((await upload.json()) as { $id: string }).$id]).toEqual([201, 'f1']);
    const torn = await server.call('POST', '/storage/buckets/b/files', { body: '--nope\r\ngarbage', headers: { 'content-type': 'multipart/form-data' } });
    expect(await error(torn)).toMatchObject({
      status: 400,
      type: 'general_argument_invalid',
      message: expect.stringMatching(/^Invalid multipart body: /) as string,
    });
  });

  it('refuses a cassette name that leads out of the folder as a bad argument', async () => {
    server = await startTestServer({ fallback: 'none' });
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': '../outside' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 400, type: 'general_argument_invalid', version: '1.5.0' });
    expect(server.summary()).toMatchObject({
      requests: 1,
      errors: 1,
      misses: 0,
      byOperation: { usersGet: { requests: 1, requestViolations: 0, responseViolations: 0 } },
    });
  });
});

describe('the engine: what record stores of a violation', () => {
  it('stores each violation of a recorded exchange with the value the stored exchange holds at its path', async () => {
    const upstream = await startTestServer({ fallback: 'none' });
    await writeCassette(upstream.cassettes, 'default', [
      {
        ...recordedUser('r0', 'ada', { ...user('ada', 'Ada'), status: 'yes', labels: { a: 1 } }),
        request: { method: 'GET', path: '/v1/users/ada', query: { x: 'one' }, headers: {}, body: null },
      },
    ]);
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-record-violations-'));
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes, cassette: 'users' });
    try {
      const res = await fetch(`${recorder.endpoint}/users/ada?x=one`, { headers: KEY_HEADERS });
      expect(res.status).toBe(200);
      expect(recorder.summary()).toMatchObject({
        requests: 1,
        forwarded: 1,
        cassetteHits: 0,
        fallbacks: 0,
        errors: 0,
        requestViolations: 1,
        responseViolations: 2,
      });
    } finally {
      await recorder.close();
      await upstream.stop();
    }
    try {
      const stored = parseCassette(await readFile(join(cassettes, 'users.json'), 'utf8'), 'users.json');
      expect(stored.interactions.map((i) => i.violations?.map((v) => [v.side, v.kind, v.path, v.value]))).toEqual([
        [
          ['request', 'parameter-unknown', 'query.x', undefined],
          ['response', 'type-mismatch', '/status', 'yes'],
          ['response', 'type-mismatch', '/labels', { a: 1 }],
        ],
      ]);
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});
