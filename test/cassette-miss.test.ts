import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { startRecorder } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { useFakeUpstream } from './support/fake-upstream.js';
import { startTestServer, type TestServer } from './support/server.js';

const API_KEY = 'standard_miss0tests0key0000000000000000';

/** A recorded `usersCreate` with its operation named, as a recorder stores it. */
function recordedCreate(id: string, body: Record<string, unknown>) {
  return {
    ...jsonInteraction(id, 'POST', '/v1/users', 201, user(String(body.userId), String(body.name))),
    operationId: 'usersCreate',
    request: { method: 'POST', path: '/v1/users', query: {}, headers: {}, body: { kind: 'json' as const, value: body } },
  };
}

describe('a request no recording matches', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('is answered under --fallback none with a vcr_cassette_miss error naming the cassette, the request and what differs from the nearest recording', async () => {
    server = await startTestServer({ fallback: 'none' });
    await writeCassette(server.cassettes, 'default', [
      recordedCreate('rec-far', { userId: 'grace', name: 'Grace', email: 'grace@example.com', password: '[redacted]' }),
      recordedCreate('rec-near', { userId: 'ada', name: 'Ada', email: 'ada@example.com', password: '[redacted]' }),
    ]);
    const res = await server.call('POST', '/users', { body: { userId: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', password: 'S3cret-Passw0rd!' } });
    expect(res.status).toBe(510);
    expect(res.headers.get('x-vcr-miss')).toBe('default');
    const body = (await res.json()) as { message: string; code: number; type: string; version: string };
    expect(body).toMatchObject({ code: 510, type: 'vcr_cassette_miss', version: '1.5.0' });
    expect(body.message).toContain('No recording in cassette "default" matches POST /v1/users (usersCreate).');
    // The nearest first: one difference (the name) against three.
    expect(body.message).toMatch(/Nearest recordings of usersCreate: #1 \(rec-near\): body \$\.name: recorded "Ada", sent "Ada Lovelace" \| #0 \(rec-far\): /);
    // The password differs in the sent request too, but both sides are compared redacted.
    expect(body.message).not.toContain('S3cret-Passw0rd!');
    expect(body.message).not.toMatch(/\$\.password/);
  });

  it('names a query parameter that differs, and says when the cassette holds no recording of the operation', async () => {
    server = await startTestServer({ fallback: 'none' });
    await writeCassette(server.cassettes, 'default', [
      {
        ...jsonInteraction('list-1', 'GET', '/v1/users', 200, { total: 0, users: [] }, { query: { search: 'ada', secret: '[redacted]' } }),
        operationId: 'usersList',
      },
    ]);
    const list = (await (await server.call('GET', '/users?search=grace&secret=hunter2')).json()) as { message: string };
    expect(list.message).toContain('GET /v1/users?search=grace&secret=[redacted] (usersList)');
    expect(list.message).toContain('#0 (list-1): query search: recorded "ada", sent "grace"');
    expect(list.message).not.toContain('hunter2');
    const get = await server.call('GET', '/users/ada');
    expect(get.status).toBe(510);
    expect(((await get.json()) as { message: string }).message).toContain('The cassette holds no recording of this operation.');
  });

  it('is listed in the summary with its nearest recording, counted once per distinct request, and fails the summary with failOnMiss', async () => {
    server = await startTestServer({ failOnMiss: true });
    await writeCassette(server.cassettes, 'default', [
      { ...jsonInteraction('list-1', 'GET', '/v1/users', 200, { total: 0, users: [] }, { query: { search: 'ada' } }), operationId: 'usersList' },
      { ...jsonInteraction('get-1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada')), operationId: 'usersGet' },
    ]);
    for (let i = 0; i < 2; i++) {
      // Stateful fallback: the app gets an answer, and the miss is still counted.
      const res = await server.call('GET', '/users?search=grace');
      expect(res.status).toBe(200);
    }
    const summary = server.summary();
    expect(summary.misses).toBe(2);
    expect(summary.fallbacks).toBe(2);
    expect(summary.missed).toHaveLength(1);
    expect(summary.missed[0]).toMatchObject({ cassette: 'default', operationId: 'usersList', request: 'GET /v1/users?search=grace', count: 2, recordings: 1 });
    expect(summary.missed[0]?.nearest[0]).toEqual({ id: 'list-1', index: 0, differences: [{ where: 'query search', recorded: 'ada', sent: 'grace' }] });
    // Neither recording was replayed: both are unused.
    expect(summary.unused).toEqual({
      default: [
        { id: 'list-1', index: 0, operationId: 'usersList', request: 'GET /v1/users' },
        { id: 'get-1', index: 1, operationId: 'usersGet', request: 'GET /v1/users/ada' },
      ],
    });
    expect(summary.failed).toBe(true);
    expect(summary.failure).toBe('2 requests matched no recording (failOnMiss)');
    expect((await server.call('GET', '/users/ada')).status).toBe(200);
    const after = await server.close();
    expect(after.unused).toEqual({ default: [{ id: 'list-1', index: 0, operationId: 'usersList', request: 'GET /v1/users' }] });
    server = undefined;
  });

  it('is not a failure of the summary without failOnMiss, and a run with no miss lists none', async () => {
    server = await startTestServer({ failOnMiss: true });
    await writeCassette(server.cassettes, 'default', [
      { ...jsonInteraction('get-1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada')), operationId: 'usersGet' },
    ]);
    expect((await server.call('GET', '/users/ada')).status).toBe(200);
    expect(server.summary()).toMatchObject({ misses: 0, missed: [], unused: {}, failed: false, failure: null });
    await server.stop();
    server = await startTestServer();
    expect((await server.call('GET', '/users?search=x')).status).toBe(200);
    expect(server.summary()).toMatchObject({ misses: 1, failed: false, failure: null });
  });

  it("never shows a value redacted by a cassette's own --redact rule in a diff", async () => {
    server = await startTestServer({ fallback: 'none' });
    const file = await writeCassette(server.cassettes, 'default', [recordedCreate('rec-pin', { userId: 'ada', name: 'Ada', prefs: { pin: '[redacted]' } })]);
    const cassette = JSON.parse(await readFile(file, 'utf8')) as { meta: Record<string, unknown> };
    cassette.meta.redact = ['$.prefs.pin'];
    await writeFile(file, JSON.stringify(cassette));
    const res = await server.call('POST', '/users', { body: { userId: 'ada', name: 'Ada', prefs: { pin: '4242-9191' }, email: 'ada@example.com' } });
    const { message } = (await res.json()) as { message: string };
    expect(message).toContain('#0 (rec-pin): body $.email: only in the request ("ada@example.com")');
    expect(message).not.toContain('4242-9191');
    expect(JSON.stringify(server.summary().missed)).not.toContain('4242-9191');
  });

  it("refuses a match-ignore rule that is neither a JSON path nor query:NAME, in options and in a cassette's meta", async () => {
    await expect(startTestServer({ matchIgnore: ['updatedAt'] })).rejects.toThrow(
      'Failed to use option "matchIgnore": "updatedAt" is not a JSON path into the body ($.data.updatedAt, $..nonce) or query:NAME',
    );
    server = await startTestServer();
    const file = await writeCassette(server.cassettes, 'default', []);
    const cassette = JSON.parse(await readFile(file, 'utf8')) as { meta: Record<string, unknown> };
    cassette.meta.matchIgnore = ['$.ok', 'query:'];
    await writeFile(file, JSON.stringify(cassette));
    const res = await server.call('GET', '/users');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toContain('"meta.matchIgnore[1]": Failed to use option "matchIgnore": "query:" is not');
  });

  it("leaves a query parameter named by the cassette's meta.matchIgnore out of matching", async () => {
    server = await startTestServer({ fallback: 'none' });
    const file = await writeCassette(server.cassettes, 'default', [
      {
        ...jsonInteraction('list-1', 'GET', '/v1/users', 200, { total: 0, users: [] }, { query: { search: 'ada', cb: '1700000000' } }),
        operationId: 'usersList',
      },
    ]);
    const cassette = JSON.parse(await readFile(file, 'utf8')) as { meta: Record<string, unknown> };
    cassette.meta.matchIgnore = ['query:cb'];
    await writeFile(file, JSON.stringify(cassette));
    expect((await server.call('GET', '/users?search=ada&cb=1800000000')).status).toBe(200);
    expect((await server.call('GET', '/users?search=ada')).status).toBe(200);
    expect((await server.call('GET', '/users?search=grace&cb=1')).status).toBe(510);
  });

  it('leaves a field named by a $..name rule out of matching at every depth, in objects and lists', async () => {
    server = await startTestServer({ fallback: 'none', matchIgnore: ['$..nonce'] });
    const recorded = { userId: 'ada', name: 'Ada', prefs: { nonce: 'n-1', theme: 'dark', devices: [{ id: 'd1', nonce: 'n-2' }] } };
    await writeCassette(server.cassettes, 'default', [{ ...recordedCreate('rec-nonce', recorded), operationId: 'usersCreate' }]);
    const sent = { userId: 'ada', name: 'Ada', prefs: { nonce: 'n-9', theme: 'dark', devices: [{ id: 'd1', nonce: 'n-8' }] } };
    expect((await server.call('POST', '/users', { body: sent })).status).toBe(201);
    const other = await server.call('POST', '/users', { body: { ...sent, prefs: { ...sent.prefs, devices: [{ id: 'd2', nonce: 'n-8' }] } } });
    expect(other.status).toBe(510);
    expect(((await other.json()) as { message: string }).message).toContain('body $.prefs.devices[0].id: recorded "d1", sent "d2"');
  });
});

describe('recording rules and modes for CI', () => {
  const fake = useFakeUpstream('vcr-match-ignore-', API_KEY);

  it('records a body timestamp rule into meta.matchIgnore, and replay with no flags matches a request with another timestamp', async () => {
    const cassettes = join(fake.folder, 'timestamps');
    const headers = { 'content-type': 'application/json', 'x-appwrite-project': 'p1', 'x-appwrite-key': API_KEY };
    const steps = (updatedAt: string) =>
      [
        ['/databases', { databaseId: 'shop', name: 'Shop' }],
        ['/databases/shop/collections', { collectionId: 'carts', name: 'Carts' }],
        ['/databases/shop/collections/carts/documents', { documentId: 'cart1', data: { items: 2, updatedAt } }],
      ] as const;
    const recorder = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'carts', matchIgnore: ['$.data.updatedAt'] });
    const recorded: unknown[] = [];
    try {
      for (const [path, body] of steps('2026-12-03T00:00:00.000Z')) {
        const res = await fetch(`${recorder.endpoint}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        expect(res.status).toBe(201);
        recorded.push(await res.json());
      }
    } finally {
      await recorder.close();
    }
    const stored = parseCassette(await readFile(join(cassettes, 'carts.json'), 'utf8'), 'carts.json');
    expect(stored.meta.matchIgnore).toEqual(['$.data.updatedAt']);
    // The value itself is kept: a rule for matching is not redaction.
    expect(stored.interactions[2]?.request.body).toEqual({
      kind: 'json',
      value: { documentId: 'cart1', data: { items: 2, updatedAt: '2026-12-03T00:00:00.000Z' } },
    });

    server = await startTestServer({ cassettes, cassette: 'carts', fallback: 'none' });
    const replayed: unknown[] = [];
    for (const [path, body] of steps('2026-12-04T09:30:00.000Z')) {
      const res = await fetch(`${server.endpoint}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      replayed.push(await res.json());
    }
    expect(recorded.map((answer) => (answer as { $id: string }).$id)).toEqual(['shop', 'carts', 'cart1']);
    expect(recorded[2]).toMatchObject({ $databaseId: 'shop', $collectionId: 'carts', items: 2, updatedAt: '2026-12-03T00:00:00.000Z' });
    expect(replayed).toEqual(recorded);
    // Only the ignored place may differ: another item count is still a miss, and says so.
    const other = await fetch(`${server.endpoint}/databases/shop/collections/carts/documents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ documentId: 'cart1', data: { items: 3, updatedAt: 'x' } }),
    });
    expect(other.status).toBe(510);
    expect(((await other.json()) as { message: string }).message).toContain('body $.data.items: recorded 2, sent 3');
    expect(server.summary().unused).toEqual({});
  });

  it('records a cassette that does not exist in mode once, and later only replays it: a hit is answered without the upstream, a miss is a vcr_cassette_miss and the file is left as it was', async () => {
    const cassettes = join(fake.folder, 'once');
    const headers = { 'content-type': 'application/json', 'x-appwrite-project': 'p1', 'x-appwrite-key': API_KEY };
    const create = (recorderEndpoint: string, userId: string) =>
      fetch(`${recorderEndpoint}/users`, { method: 'POST', headers, body: JSON.stringify({ userId, name: userId, email: `${userId}@example.com` }) });
    const first = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'users', mode: 'once' });
    try {
      expect((await create(first.endpoint, 'once-ada')).status).toBe(201);
    } finally {
      await first.close();
    }
    const file = join(cassettes, 'users.json');
    const before = await readFile(file, 'utf8');
    const seen = async (): Promise<number> => ((await (await fetch(`${new URL(fake.upstream.endpoint).origin}/__fake/log`)).json()) as unknown[]).length;
    const forwarded = await seen();
    const second = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, cassette: 'users', mode: 'once' });
    try {
      const hit = await create(second.endpoint, 'once-ada');
      expect(hit.status).toBe(201);
      expect(await hit.json()).toMatchObject({ $id: 'once-ada' });
      const miss = await create(second.endpoint, 'once-grace');
      expect(miss.status).toBe(510);
      expect(((await miss.json()) as { message: string }).message).toContain('body $.email: recorded "once-ada@example.com", sent "once-grace@example.com"');
      expect(second.summary()).toMatchObject({ requests: 2, cassetteHits: 1, forwarded: 0, misses: 1 });
    } finally {
      await second.close();
    }
    expect(await seen()).toBe(forwarded);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
});
