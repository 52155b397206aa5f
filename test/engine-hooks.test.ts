import { describe, expect, it } from 'vitest';
import { CassetteStore } from '../src/cassette/cassette-store.js';
import { DEFAULT_SPEC } from '../src/config/defaults.js';
import { Engine, type CassetteWrite } from '../src/engine/engine.js';
import { loadSpec } from '../src/spec/load-spec.js';
import { schemaValidatorFor } from '../src/spec/schema-validator.js';
import type { Interaction } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { jsonOf, openTestEngine, send, testFolder } from './support/engine.js';

const key = { headers: { 'x-appwrite-key': '[redacted]' } };
/** A recorded `usersGet` of `userId`, its answer's name `name`. */
const recordedGet = (id: string, userId: string, name = userId, headers: Record<string, string> = {}): Interaction => {
  const recorded = { ...jsonInteraction(id, 'GET', `/v1/users/${userId}`, 200, user(userId, name), key), operationId: 'usersGet' };
  recorded.response.headers = { ...recorded.response.headers, ...headers };
  return recorded;
};
/** A recorded write: `method path` with a JSON body, answered `status` with `value`. */
const recordedWrite = (
  id: string,
  method: string,
  path: string,
  body: Record<string, unknown>,
  status: number,
  value: unknown,
  operationId: string | null = null,
): Interaction => ({
  ...jsonInteraction(id, method, path, status, value, { ...key, body: { kind: 'json', value: body } }),
  operationId,
});
const ADA = { userId: 'ada', name: 'Ada', email: 'ada@example.com', password: '[redacted]' };
const createAda = (id = 'c0', status = 201): Interaction => recordedWrite(id, 'POST', '/v1/users', ADA, status, user('ada', 'Ada'), 'usersCreate');
const sentAda = { ...ADA, password: 'S3cret-Passw0rd!' };
/** A recorded ID.unique() of a database. */
const RECORDED_ID = '66a0b1c2000120000001';
/** A recorded `databasesCreate` of RECORDED_ID with the name `name`, as sent and as answered. */
const createDatabase = (id: string, name: string): Interaction => {
  const database = { $id: RECORDED_ID, name, $createdAt: '2026-01-01T00:00:00.000+00:00', $updatedAt: '2026-01-01T00:00:00.000+00:00', enabled: true };
  return recordedWrite(id, 'POST', '/v1/databases', { databaseId: RECORDED_ID, name }, 201, database);
};

const nameOf = (value: unknown): unknown => (value as { name?: unknown }).name;

describe('the engine: replaying a recorded answer', () => {
  it('leaves out connection, encoding and CORS headers of the recording, and hands every replay the same frozen headers', async () => {
    const { engine, cassettes } = await openTestEngine();
    const recorded = {
      'x-kept': 'yes',
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'content-length': '999',
      'content-encoding': 'gzip',
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      'proxy-connection': 'close',
      upgrade: 'h2c',
      trailer: 'x-checksum',
      'access-control-allow-origin': 'https://recorded.example',
      'access-control-expose-headers': 'x-kept',
    };
    await writeCassette(cassettes, 'default', [recordedGet('r0', 'ada', 'first', recorded), recordedGet('r1', 'ada', 'first', recorded)]);
    const first = await send(engine, 'GET', '/v1/users/ada');
    const second = await send(engine, 'GET', '/v1/users/ada');
    expect(first.source).toBe('cassette');
    expect(first.response.headers).toEqual({ 'content-type': 'application/json', 'x-kept': 'yes' });
    expect(Object.isFrozen(first.response.headers)).toBe(true);
    // Kept as the bytes prepared once, not encoded again per replay.
    expect(Buffer.isBuffer(first.bytes)).toBe(true);
    expect(JSON.parse(String(first.bytes))).toEqual(user('ada', 'first'));
    // The second replay of the same recording's twin is prepared apart; the same recording again shares it.
    expect(second.response.headers).toEqual(first.response.headers);
    await engine.rewind();
    const again = await send(engine, 'GET', '/v1/users/ada');
    expect(again.response.headers).toBe(first.response.headers);
    expect(again.bytes).toBe(first.bytes);
  });

  it("checks a recording's answer once against the contract and reports its violations with each replay", async () => {
    const { engine, cassettes } = await openTestEngine();
    const broken = { ...user('ada', 'Ada'), status: 'yes' };
    await writeCassette(cassettes, 'default', [{ ...jsonInteraction('r0', 'GET', '/v1/users/ada', 200, broken, key), operationId: 'usersGet' }]);
    const result = await send(engine, 'GET', '/v1/users/ada');
    expect(result.source).toBe('cassette');
    expect(result.findings.map((f) => [f.side, f.path, f.kind])).toEqual([['response', '/status', 'type-mismatch']]);
  });

  it('answers a shaped placeholder with a fresh value of its shape on each replay, and the bytes say the same', async () => {
    const { engine, cassettes } = await openTestEngine();
    const token = {
      $id: 'tok',
      $createdAt: '2026-01-01T00:00:00.000+00:00',
      userId: 'ada',
      secret: '[redacted:hex6]',
      expire: '2026-01-02T00:00:00.000+00:00',
      phrase: '',
    };
    const recorded = recordedWrite('t0', 'POST', '/v1/users/ada/tokens', {}, 201, token);
    await writeCassette(cassettes, 'default', [recorded, { ...recorded, id: 't1' }]);
    const first = await send(engine, 'POST', '/v1/users/ada/tokens', { body: {} });
    const second = await send(engine, 'POST', '/v1/users/ada/tokens', { body: {} });
    const secrets = [first, second].map((r) => (jsonOf(r) as { secret: string }).secret);
    expect(secrets.every((s) => /^[0-9a-f]{6}$/.test(s))).toBe(true);
    expect(JSON.parse(String(first.bytes))).toEqual(jsonOf(first));
    expect(JSON.parse(String(second.bytes))).toEqual(jsonOf(second));
    // A plain answer keeps its recorded value and bytes.
    expect((jsonOf(first) as { userId: string }).userId).toBe('ada');
  });
});

describe('the engine: rewind', () => {
  it('starts every cassette over, so repeated requests get their first recordings again', async () => {
    const { engine, cassettes } = await openTestEngine({ fallback: 'none' });
    await writeCassette(cassettes, 'default', [recordedGet('r0', 'ada', 'first'), recordedGet('r1', 'ada', 'second')]);
    await writeCassette(cassettes, 'other', [recordedGet('o0', 'ada', 'other first'), recordedGet('o1', 'ada', 'other second')]);
    const other = { headers: { 'x-vcr-cassette': 'other' } };
    const names = async (): Promise<unknown[]> => [
      nameOf(jsonOf(await send(engine, 'GET', '/v1/users/ada'))),
      nameOf(jsonOf(await send(engine, 'GET', '/v1/users/ada', other))),
    ];
    expect(await names()).toEqual(['first', 'other first']);
    expect(await names()).toEqual(['second', 'other second']);
    await engine.rewind();
    expect(await names()).toEqual(['first', 'other first']);
  });

  it('forgets the client IDs paired with recorded ones, so a new run pairs its own', async () => {
    const { engine, cassettes } = await openTestEngine({ fallback: 'none' });
    await writeCassette(cassettes, 'default', [
      createDatabase('d0', 'Ledger'),
      { ...jsonInteraction('x0', 'DELETE', `/v1/databases/${RECORDED_ID}`, 204, null, key), response: { status: 204, headers: {}, body: null } },
    ]);
    const create = async (id: string): Promise<unknown> => jsonOf(await send(engine, 'POST', '/v1/databases', { body: { databaseId: id, name: 'Ledger' } }));
    expect(await create('66b0c1d2000340000011')).toMatchObject({ $id: '66b0c1d2000340000011' });
    await engine.rewind();
    const second = await send(engine, 'POST', '/v1/databases', { body: { databaseId: '66b0c1d2000340000022', name: 'Ledger' } });
    expect([second.source, (jsonOf(second) as { $id: string }).$id]).toEqual(['cassette', '66b0c1d2000340000022']);
    expect(JSON.parse(String(second.bytes))).toMatchObject({ $id: '66b0c1d2000340000022' });
    // An answer without a body has nothing to map: its prepared (empty) bytes go as they are.
    const deleted = await send(engine, 'DELETE', '/v1/databases/66b0c1d2000340000022');
    expect([deleted.source, deleted.response.status, deleted.response.body, Buffer.isBuffer(deleted.bytes), deleted.bytes.length]).toEqual([
      'cassette',
      204,
      null,
      true,
      0,
    ]);
  });
});

describe('the engine: ID mapping off', () => {
  it('replays a recording only for its own IDs, and answers them as recorded', async () => {
    const { engine, cassettes } = await openTestEngine({ fallback: 'none', idMap: false });
    const recorded = createDatabase('d0', 'Ledger');
    await writeCassette(cassettes, 'default', [recorded]);
    const other = await send(engine, 'POST', '/v1/databases', { body: { databaseId: '66b0c1d2000340000011', name: 'Ledger' } });
    expect([other.source, other.response.status]).toEqual(['error', 510]);
    const own = await send(engine, 'POST', '/v1/databases', { body: { databaseId: RECORDED_ID, name: 'Ledger' } });
    expect([own.source, jsonOf(own), Buffer.isBuffer(own.bytes)]).toEqual(['cassette', (recorded.response.body as { value: unknown }).value, true]);
  });
});

describe('the engine: writes answered from a cassette', () => {
  it('tells every listener of a write answered with success, with its operation, path parameters, caller and answer', async () => {
    const { engine, cassettes } = await openTestEngine();
    await writeCassette(cassettes, 'default', [createAda(), recordedWrite('n0', 'PATCH', '/v1/users/ada/name', { name: 'Ada L' }, 200, user('ada', 'Ada L'))]);
    const heard: CassetteWrite[] = [];
    const also: string[] = [];
    engine.onCassetteWrite((write) => heard.push(write));
    engine.onCassetteWrite((write) => also.push(write.operationId));
    const created = await send(engine, 'POST', '/v1/users', { body: sentAda });
    await send(engine, 'PATCH', '/v1/users/ada/name', { body: { name: 'Ada L' } });
    expect(heard.map((w) => [w.operationId, w.pathParams, w.response.status, nameOf((w.response.body as { value: unknown }).value)])).toEqual([
      ['usersCreate', {}, 201, 'Ada'],
      ['usersUpdateName', { userId: 'ada' }, 200, 'Ada L'],
    ]);
    expect(heard[0]?.response).toBe(created.response);
    expect([heard[0]?.caller.role, heard[0]?.caller.credentials.key]).toEqual(['apps', 'k']);
    expect(also).toEqual(['usersCreate', 'usersUpdateName']);
  });

  it('names the signed-in user of a session the stateful fallback issued as the caller of a write', async () => {
    const { engine, cassettes } = await openTestEngine({ asServer: true, fallback: 'stateful' });
    await writeCassette(cassettes, 'default', [
      recordedWrite('n0', 'PATCH', '/v1/account/name', { name: 'Ada L' }, 200, user('ada', 'Ada L'), 'accountUpdateName'),
    ]);
    const account = { email: 'ada@example.com', password: 'password-1234' };
    expect((await send(engine, 'POST', '/v1/account', { body: { userId: 'ada', name: 'Ada', ...account } })).source).toBe('state');
    const session = await send(engine, 'POST', '/v1/account/sessions/email', { body: account });
    const { secret } = jsonOf(session) as { secret: string };
    const heard: CassetteWrite[] = [];
    engine.onCassetteWrite((write) => heard.push(write));
    const written = await send(engine, 'PATCH', '/v1/account/name', { key: false, headers: { 'x-appwrite-session': secret }, body: { name: 'Ada L' } });
    expect(written.source).toBe('cassette');
    expect(heard.map((w) => [w.operationId, w.caller.role, w.caller.userId])).toEqual([['accountUpdateName', 'users', 'ada']]);
  });

  it('tells nothing of a read, a HEAD, an answer outside 2xx, an answer not from a cassette, or one strict rejected', async () => {
    const { engine, cassettes } = await openTestEngine();
    await writeCassette(cassettes, 'default', [
      recordedGet('g0', 'ada'),
      recordedGet('g1', 'ada'),
      createAda('c199', 199),
      createAda('c300', 300),
      createAda('c409', 409),
    ]);
    const heard: string[] = [];
    engine.onCassetteWrite((write) => heard.push(`${write.operationId} ${write.response.status}`));
    expect((await send(engine, 'GET', '/v1/users/ada')).source).toBe('cassette');
    expect((await send(engine, 'HEAD', '/v1/users/ada')).source).toBe('cassette');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(engine, 'POST', '/v1/users', { body: sentAda })).response.status);
    expect(statuses).toEqual([199, 300, 409]);
    // No recording of bob: the schema answers.
    expect((await send(engine, 'POST', '/v1/users', { body: { ...sentAda, userId: 'bob' } })).source).toBe('schema');
    const strict = await openTestEngine({ strict: true });
    const broken = { ...user('ada', 'Ada L'), status: 'yes' };
    await writeCassette(strict.cassettes, 'default', [recordedWrite('bad', 'PATCH', '/v1/users/ada/name', { name: 'Ada L' }, 200, broken)]);
    strict.engine.onCassetteWrite((write) => heard.push(`strict ${write.operationId}`));
    const rejected = await send(strict.engine, 'PATCH', '/v1/users/ada/name', { body: { name: 'Ada L' } });
    expect([rejected.source, rejected.strictRejected, rejected.response.status]).toEqual(['cassette', true, 502]);
    expect(heard).toEqual([]);
  });

  it('stops telling a listener once it unsubscribes, and unsubscribing twice leaves the others subscribed', async () => {
    const { engine, cassettes } = await openTestEngine();
    await writeCassette(cassettes, 'default', [createAda('c0'), createAda('c1'), createAda('c2')]);
    const heard: string[] = [];
    const stopFirst = engine.onCassetteWrite(() => heard.push('first'));
    engine.onCassetteWrite(() => heard.push('second'));
    const stopLast = engine.onCassetteWrite(() => {
      heard.push('last');
      stopLast();
    });
    await send(engine, 'POST', '/v1/users', { body: sentAda });
    stopFirst();
    stopFirst();
    await send(engine, 'POST', '/v1/users', { body: sentAda });
    expect(heard).toEqual(['first', 'second', 'last', 'second']);
  });
});

describe('the engine: the report of a run', () => {
  /** Cassettes `default` (three recordings), `other` (one, opened but never replayed) and `done` (one, replayed). */
  async function threeCassettes(cassettes: string): Promise<void> {
    await writeCassette(cassettes, 'default', [recordedGet('r0', 'ada'), recordedGet('r1', 'bob'), recordedGet('r2', 'cy')]);
    await writeCassette(cassettes, 'other', [recordedGet('o0', 'ada')]);
    await writeCassette(cassettes, 'done', [recordedGet('d0', 'ada')]);
  }
  async function replaySome(engine: Awaited<ReturnType<typeof openTestEngine>>['engine']): Promise<string[]> {
    const sources = [];
    for (const [path, cassette] of [
      ['/v1/users/ada', 'default'],
      ['/v1/users/bob', 'default'],
      ['/v1/users/zed', 'other'],
      ['/v1/users/ada', 'done'],
    ] as const)
      sources.push((await send(engine, 'GET', path, { headers: { 'x-vcr-cassette': cassette } })).source);
    return sources;
  }

  it('lists per cassette opened the recordings no request replayed, with their place, when asked to', async () => {
    const { engine, cassettes } = await openTestEngine({ asServer: true, fallback: 'schema' });
    await threeCassettes(cassettes);
    expect(await replaySome(engine)).toEqual(['cassette', 'cassette', 'schema', 'cassette']);
    expect(engine.report().unused).toEqual({
      default: [{ id: 'r2', index: 2, operationId: 'usersGet', request: 'GET /v1/users/cy' }],
      other: [{ id: 'o0', index: 0, operationId: 'usersGet', request: 'GET /v1/users/ada' }],
    });
  });

  it('lists no unused recording when not asked to', async () => {
    const { engine, cassettes } = await openTestEngine();
    await threeCassettes(cassettes);
    expect(await replaySome(engine)).toEqual(['cassette', 'cassette', 'schema', 'cassette']);
    const report = engine.report();
    expect([report.unused, report.cassetteHits, report.misses]).toEqual([{}, 3, 1]);
  });

  it('hands out a copy: what a reader changes in a report stays out of the next one', async () => {
    const { engine, cassettes } = await openTestEngine({ failOnMiss: true });
    await writeCassette(cassettes, 'default', [recordedGet('r0', 'ada')]);
    await send(engine, 'GET', '/v1/users/bob');
    const first = engine.report();
    expect([first.failed, first.failure, engine.summary.failed]).toEqual([true, '1 request matched no recording (failOnMiss)', false]);
    first.missed.length = 0;
    first.byOperation = {};
    expect(engine.report().missed.map((m) => m.request)).toEqual(['GET /v1/users/bob']);
    expect(engine.report().byOperation).toEqual({ usersGet: { requests: 1, requestViolations: 0, responseViolations: 0 } });
  });
});

describe("the engine: matching with a cassette's own rules", () => {
  const stored = { ...ADA, name: '[redacted]', email: '[redacted]' };

  it('redacts a request with the rules the cassette was recorded with as well as its own before matching', async () => {
    const { engine, cassettes } = await openTestEngine({ redact: ['$.email', 'X-Custom'] });
    await writeCassette(cassettes, 'default', [recordedWrite('c0', 'POST', '/v1/users', stored, 201, user('ada', 'Ada'))], { redact: ['$.name', 'x-custom'] });
    const hit = await send(engine, 'POST', '/v1/users', { body: { ...sentAda, name: 'Ada L', email: 'other@example.com' } });
    expect(hit.source).toBe('cassette');
    expect(engine.redactRules).toEqual(['$.email', 'x-custom']);
  });

  it('matches with the rules of the cassette alone when the engine has none, and names them redacted in a miss', async () => {
    const { engine, cassettes } = await openTestEngine({ fallback: 'none' });
    await writeCassette(cassettes, 'default', [recordedWrite('c0', 'POST', '/v1/users', stored, 201, user('ada', 'Ada'), 'usersCreate')], {
      redact: ['$.name', '$.email'],
    });
    expect((await send(engine, 'POST', '/v1/users', { body: { ...sentAda, name: 'Ada L', email: 'x@example.com' } })).source).toBe('cassette');
    const miss = await send(engine, 'POST', '/v1/users', { body: { ...sentAda, userId: 'bob', name: 'Bob' } });
    expect(miss.miss?.nearest).toEqual([{ id: 'c0', index: 0, differences: [{ where: 'body $.userId', recorded: 'ada', sent: 'bob' }] }]);
    expect(engine.redactRules).toEqual([]);
  });

  it("leaves out of matching what the engine's and the cassette's ignore rules name, in a hit and in a miss", async () => {
    const { engine, cassettes } = await openTestEngine({ fallback: 'none', matchIgnore: ['$.email'] });
    await writeCassette(cassettes, 'default', [createAda('c0'), createAda('c1')], { matchIgnore: ['$.name'] });
    expect(engine.matchIgnoreRules).toEqual(['$.email']);
    const hit = await send(engine, 'POST', '/v1/users', { body: { ...sentAda, name: 'Ada L', email: 'x@example.com' } });
    expect(hit.source).toBe('cassette');
    const miss = await send(engine, 'POST', '/v1/users', { body: { ...sentAda, userId: 'bob', name: 'Bob', email: 'bob@example.com' } });
    expect([miss.source, miss.miss?.recordings]).toEqual(['error', 2]);
    expect(miss.miss?.nearest.map((n) => [n.id, n.index, n.differences])).toEqual([
      ['c0', 0, [{ where: 'body $.userId', recorded: 'ada', sent: 'bob' }]],
      ['c1', 1, [{ where: 'body $.userId', recorded: 'ada', sent: 'bob' }]],
    ]);
  });
});

describe('the engine: built with only the options it needs', () => {
  it("has no rules of its own, pairs client IDs, and matches with the cassette's redaction alone", async () => {
    const spec = await loadSpec(DEFAULT_SPEC);
    const cassettes = await testFolder('vcr-engine-bare-');
    const store = new CassetteStore({ dir: cassettes, meta: { createdBy: 'test', specVersion: spec.version } });
    const engine = new Engine({ spec, validator: await schemaValidatorFor(spec), store, cassette: 'default', strict: false, storeFileLimit: 1024 });
    expect([engine.redactRules, engine.matchIgnoreRules]).toEqual([[], []]);
    await writeCassette(cassettes, 'default', [createDatabase('d0', '[redacted]')], { redact: ['$.name'] });
    const live = '66b0c1d2000340000011';
    const result = await send(engine, 'POST', '/v1/databases', { body: { databaseId: live, name: 'Ledger' } });
    expect([result.source, (jsonOf(result) as { $id: string }).$id]).toEqual(['cassette', live]);
  });
});
