import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { journalPath } from '../src/cassette/cassette-journal.js';
import type { UpstreamFailure } from '../src/engine/recorder.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { openTestRecorder, UPSTREAM, upstreamJson } from './support/recorder.js';

const ADA = { userId: 'ada', name: 'Ada', email: 'ada@example.com', password: 'S3cret-Passw0rd!' };
/** The upstream of these tests: every request answered with a created user ada. */
const created = () => upstreamJson(201, user('ada', 'Ada'));

describe('the recorder: what it forwards and stores', () => {
  it("stores the redacted exchange without the tool's or the connection's headers, and hands the client the upstream's answer without connection headers", async () => {
    const answer = created();
    answer.headers = {
      ...answer.headers,
      'x-upstream': 'yes',
      // Node's header objects may hold an absent value (IncomingHttpHeaders); it is no header.
      'x-absent': undefined as unknown as string,
      connection: 'keep-alive',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      'transfer-encoding': 'chunked',
      trailer: 'x-sum',
      upgrade: 'h2c',
      'content-length': String(answer.wire.length),
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      'content-encoding': 'identity',
    };
    const rec = await openTestRecorder(() => answer);
    const result = await rec.send('POST', '/v1/users?lang=en', {
      body: ADA,
      headers: {
        'x-vcr-cassette': 'users',
        'x-vcr-admin-token': 'admin-secret',
        host: '127.0.0.1:4010',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        'transfer-encoding': 'chunked',
        'content-length': '99',
        'x-custom': 'kept',
      },
    });
    expect([result.source, result.operationId, result.cassette, result.response.status]).toEqual(['upstream', 'usersCreate', 'users', 201]);
    const undeclared = { kind: 'parameter-unknown', severity: 'warning', side: 'request', operationId: 'usersCreate', path: 'query.lang' };
    expect(result.findings).toEqual([{ ...undeclared, message: 'query parameter "lang" is not declared' }]);
    expect(result.response.headers).toStrictEqual({
      'content-type': 'application/json',
      'x-upstream': 'yes',
      date: 'Thu, 01 Jan 2026 00:00:00 GMT',
      'content-encoding': 'identity',
    });
    expect(result.bytes).toBe(answer.wire);
    expect(result.response.body).toEqual({ kind: 'json', value: user('ada', 'Ada') });
    expect(rec.forwarded).toEqual(['POST /v1/users?lang=en']);

    const cassette = await rec.cassette('users');
    expect(cassette?.interactions).toHaveLength(1);
    const stored = cassette?.interactions[0];
    expect(stored?.operationId).toBe('usersCreate');
    expect(stored?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(stored?.recordedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(stored?.durationMs).toBeGreaterThanOrEqual(0);
    expect(stored?.request).toEqual({
      method: 'POST',
      path: '/v1/users',
      query: { lang: 'en' },
      headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': '[redacted]', 'x-custom': 'kept', 'content-type': 'application/json' },
      body: { kind: 'json', value: { ...ADA, password: '[redacted]' } },
    });
    expect(stored?.response).toStrictEqual({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-upstream': 'yes' },
      body: { kind: 'json', value: user('ada', 'Ada') },
    });
    expect(stored?.violations).toEqual([{ ...undeclared, message: 'query parameter "lang" is not declared' }]);
    expect(rec.engine.summary).toMatchObject({ requests: 1, forwarded: 1, cassetteHits: 0 });
  });

  it("stores the violations of the upstream's answer with the interaction, read from the stored copy", async () => {
    const rec = await openTestRecorder(() => upstreamJson(201, { ...user('ada', 'Ada'), status: 'yes' }));
    const result = await rec.send('POST', '/v1/users', { body: ADA });
    expect(result.findings.map((f) => [f.side, f.path, f.kind])).toEqual([['response', '/status', 'type-mismatch']]);
    const stored = (await rec.cassette())?.interactions[0];
    expect(stored?.violations?.map((f) => [f.side, f.path, f.kind, f.value])).toEqual([['response', '/status', 'type-mismatch', 'yes']]);
  });

  it('stores how long the upstream took, in milliseconds to two decimals, and no violations of a clean exchange', async () => {
    // An upstream that takes 30 ms to answer.
    const rec = await openTestRecorder(() => new Promise((resolve) => setTimeout(() => resolve(created()), 30)));
    expect((await rec.send('POST', '/v1/users', { body: ADA })).findings).toEqual([]);
    const stored = (await rec.cassette())?.interactions[0];
    const durationMs = stored?.durationMs ?? -1;
    expect(durationMs).toBeGreaterThanOrEqual(29);
    expect(durationMs).toBeLessThan(10_000);
    expect(Math.round(durationMs * 100) / 100).toBe(durationMs);
    expect(stored !== undefined && 'violations' in stored).toBe(false);
  });

  it('forwards an answer that says JSON but is not, and stores it as text', async () => {
    const wire = Buffer.from('<html>Bad gateway</html>');
    const rec = await openTestRecorder(() => ({ status: 502, headers: { 'content-type': 'application/json' }, wire, decoded: wire }));
    const result = await rec.send('GET', '/v1/users/ada');
    expect([result.source, result.response.status, result.response.body, result.bytes]).toEqual([
      'upstream',
      502,
      { kind: 'text', value: '<html>Bad gateway</html>' },
      wire,
    ]);
    expect((await rec.cassette())?.interactions[0]?.response.body).toEqual({ kind: 'text', value: '<html>Bad gateway</html>' });
  });

  it('forwards a route the spec does not know with a warning, and records nothing of it', async () => {
    const rec = await openTestRecorder(() => upstreamJson(200, { ok: true }, { connection: 'close', 'x-upstream': 'yes' }));
    const result = await rec.send('GET', '/v1/no/such/route?secret=1');
    expect([result.source, result.operationId, result.cassette, result.response]).toEqual([
      'upstream',
      null,
      null,
      { status: 200, headers: { 'content-type': 'application/json', 'x-upstream': 'yes' }, body: null },
    ]);
    expect(String(result.bytes)).toBe('{"ok":true}');
    expect(result.findings).toEqual([
      {
        kind: 'operation-unknown',
        severity: 'warning',
        side: 'request',
        operationId: null,
        path: '',
        message: 'GET /v1/no/such/route is not an operation of the spec; forwarded, not recorded',
      },
    ]);
    expect(await rec.cassette()).toBeNull();
  });

  it('forwards a form it cannot read with a warning, and records nothing of it', async () => {
    const rec = await openTestRecorder(() => upstreamJson(400, { message: 'bad form' }));
    const result = await rec.send('POST', '/v1/storage/buckets/b/files', {
      body: 'not a form',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect([result.source, result.response.status, result.findings.map((f) => [f.kind, f.message])]).toEqual([
      'upstream',
      400,
      [['body-invalid', 'POST /v1/storage/buckets/b/files has a body that cannot be read; forwarded, not recorded']],
    ]);
    expect(await rec.cassette()).toBeNull();
  });

  it('only forwards a HEAD, in any letter case: recorded, it would stand for the GET', async () => {
    const rec = await openTestRecorder(() => ({ ...upstreamJson(200, user('ada', 'Ada')), wire: Buffer.alloc(0) }));
    for (const method of ['HEAD', 'head']) {
      const result = await rec.send(method, '/v1/users/ada');
      expect([result.source, result.operationId, result.cassette, result.findings, result.response.body, result.bytes.length]).toEqual([
        'upstream',
        null,
        null,
        [],
        null,
        0,
      ]);
    }
    expect(rec.forwarded).toEqual(['HEAD /v1/users/ada', 'head /v1/users/ada']);
    expect(await rec.cassette()).toBeNull();
  });

  it('forwards an answer whose encoding it cannot undo as it came, with a warning, and stores nothing of it', async () => {
    const wire = Buffer.from('not really brotli');
    const rec = await openTestRecorder(() => ({
      status: 200,
      headers: { 'content-encoding': 'br', connection: 'close' },
      wire,
      decoded: wire,
      undecoded: true,
    }));
    const result = await rec.send('GET', '/v1/users/ada');
    expect([result.source, result.response, result.bytes]).toEqual(['upstream', { status: 200, headers: { 'content-encoding': 'br' }, body: null }, wire]);
    expect(result.findings).toEqual([
      {
        kind: 'body-invalid',
        severity: 'warning',
        side: 'response',
        operationId: 'usersGet',
        path: '',
        message: 'the answer\'s content-encoding "br" cannot be undone, so it cannot be redacted; forwarded, not recorded',
      },
    ]);
    expect(await rec.cassette()).toBeNull();
  });
});

describe('the recorder: an upstream that does not answer', () => {
  const failures: [UpstreamFailure['failure'], number, string][] = [
    ['refused', 502, 'connection refused (ECONNREFUSED)'],
    ['reset', 502, 'connection reset (ECONNREFUSED)'],
    ['tls', 502, 'its TLS certificate is not trusted (ECONNREFUSED); --insecure accepts it'],
    ['too-large', 502, 'ECONNREFUSED; nothing was recorded'],
    ['timeout', 504, 'ECONNREFUSED'],
  ];

  it('answers each failure in Appwrite shape with its status and reason, records nothing, and keeps the warning of a route outside the spec', async () => {
    let failure: UpstreamFailure['failure'] = 'refused';
    const rec = await openTestRecorder(() => ({ failure, message: 'ECONNREFUSED' }));
    for (const [kind, status, reason] of failures) {
      failure = kind;
      const result = await rec.send('GET', '/v1/users/ada');
      expect([kind, result.source, result.response.status, result.findings]).toEqual([kind, 'error', status, []]);
      expect(result.response.body).toEqual({
        kind: 'json',
        value: { message: `Failed to forward to "${UPSTREAM}": ${reason}`, code: status, type: 'general_server_error', version: '1.5.0' },
      });
      const outside = await rec.send('GET', '/v1/no/such/route');
      expect([outside.source, outside.response.status, outside.findings.map((f) => f.kind)]).toEqual(['error', status, ['operation-unknown']]);
    }
    expect(await rec.cassette()).toBeNull();
  });
});

describe('the recorder: modes', () => {
  it('in mode all forwards and records every request, a repeated one too', async () => {
    const rec = await openTestRecorder(created, { mode: 'all' });
    const sources = [(await rec.send('POST', '/v1/users', { body: ADA })).source, (await rec.send('POST', '/v1/users', { body: ADA })).source];
    expect(sources).toEqual(['upstream', 'upstream']);
    expect(rec.forwarded).toHaveLength(2);
    expect((await rec.cassette())?.interactions).toHaveLength(2);
  });

  it('in mode new answers what it recorded or what the cassette held from the cassette, and forwards the rest', async () => {
    const rec = await openTestRecorder(created, { mode: 'new' });
    await writeCassette(rec.cassettes, 'default', [{ ...jsonInteraction('old', 'GET', '/v1/users/bob', 200, user('bob', 'Bob')), operationId: 'usersGet' }]);
    const sources = [];
    for (const path of ['/v1/users', '/v1/users']) sources.push((await rec.send('POST', path, { body: ADA })).source);
    sources.push((await rec.send('GET', '/v1/users/bob')).source);
    expect(sources).toEqual(['upstream', 'cassette', 'cassette']);
    expect(rec.forwarded).toEqual(['POST /v1/users']);
    expect((await rec.cassette())?.interactions.map((i) => i.operationId)).toEqual(['usersGet', 'usersCreate']);
  });

  it("in mode once records a cassette that does not exist yet, with the engine's rules in its meta", async () => {
    const rec = await openTestRecorder(created, { mode: 'once', redact: ['$.name'], matchIgnore: ['$.email'] });
    expect((await rec.send('POST', '/v1/users', { body: ADA })).source).toBe('upstream');
    expect((await rec.send('POST', '/v1/users', { body: ADA })).source).toBe('upstream');
    const cassette = await rec.cassette();
    expect([cassette?.interactions.length, cassette?.meta.redact, cassette?.meta.matchIgnore]).toEqual([2, ['$.name'], ['$.email']]);
    expect((cassette?.interactions[0]?.request.body as { value: unknown }).value).toEqual({ ...ADA, name: '[redacted]', password: '[redacted]' });
  });

  it('in mode once only replays a cassette that exists: a miss is the miss error, and the file keeps its rules and recordings', async () => {
    const rec = await openTestRecorder(created, { mode: 'once', redact: ['$.name'], matchIgnore: ['$.email'] });
    const file = await writeCassette(rec.cassettes, 'default', [
      { ...jsonInteraction('old', 'GET', '/v1/users/bob', 200, user('bob', 'Bob')), operationId: 'usersGet' },
    ]);
    const before = await readFile(file, 'utf8');
    const hit = await rec.send('GET', '/v1/users/bob');
    const miss = await rec.send('GET', '/v1/users/ada');
    expect([hit.source, miss.source, miss.response.status, miss.miss?.request, miss.miss?.recordings]).toEqual([
      'cassette',
      'error',
      510,
      'GET /v1/users/ada',
      1,
    ]);
    expect((miss.response.body as { value: { type: string } }).value.type).toBe('vcr_cassette_miss');
    expect(rec.forwarded).toEqual([]);
    await rec.recorder.flush();
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('in mode once treats a cassette that exists only as a journal as existing', async () => {
    const rec = await openTestRecorder(created, { mode: 'once' });
    const first = await openTestRecorder(created, { mode: 'all', cassettes: rec.cassettes });
    await first.send('POST', '/v1/users', { body: ADA });
    // The first recorder's journal is on disk, not yet folded into a file.
    await first.recorder.close();
    expect((await rec.send('GET', '/v1/users/zed')).response.status).toBe(510);
    expect(rec.forwarded).toEqual([]);
  });

  it("in mode all adds the engine's rules to a cassette that exists, and appends to its recordings", async () => {
    const rec = await openTestRecorder(created, { mode: 'all', redact: ['$.name'], matchIgnore: ['$.email'] });
    await writeCassette(rec.cassettes, 'default', [{ ...jsonInteraction('old', 'GET', '/v1/users/bob', 200, user('bob', 'Bob')), operationId: 'usersGet' }]);
    expect((await rec.send('GET', '/v1/users/bob')).source).toBe('upstream');
    const cassette = await rec.cassette();
    expect([cassette?.interactions.map((i) => i.id)[0], cassette?.interactions.length, cassette?.meta.redact, cassette?.meta.matchIgnore]).toEqual([
      'old',
      2,
      ['$.name'],
      ['$.email'],
    ]);
    expect(await readFile(join(rec.cassettes, 'default.json'), 'utf8')).toContain('"$.email"');
  });
});

describe('the recorder: cassette files and locks', () => {
  it('folds the journal into the cassette file on flush, leaving no journal behind', async () => {
    const rec = await openTestRecorder(created);
    await rec.send('POST', '/v1/users', { body: ADA });
    await rec.send('POST', '/v1/users', { body: { ...ADA, userId: 'bob' } });
    await rec.recorder.flush();
    const file = join(rec.cassettes, 'default.json');
    expect(existsSync(journalPath(file))).toBe(false);
    const onDisk = parseCassette(await readFile(file, 'utf8'), file);
    expect(onDisk.interactions.map((i) => (i.request.body as { value: { userId: string } }).value.userId)).toEqual(['ada', 'bob']);
  });

  it('refuses to record into a cassette another recorder holds until that one closes, then takes it', async () => {
    const first = await openTestRecorder(created);
    const second = await openTestRecorder(created, { cassettes: first.cassettes });
    expect((await first.send('POST', '/v1/users', { body: ADA })).source).toBe('upstream');
    const refused = await second.send('POST', '/v1/users', { body: ADA });
    expect([refused.source, refused.response.status, refused.cassette]).toEqual(['error', 500, 'default']);
    expect((refused.response.body as { value: { message: string } }).value.message).toMatch(
      /^Failed to record into cassette ".*default\.json": process \d+ is recording into it/,
    );
    await first.recorder.close();
    expect((await second.send('POST', '/v1/users', { body: { ...ADA, userId: 'bob' } })).source).toBe('upstream');
    expect((await second.cassette())?.interactions.map((i) => (i.request.body as { value: { userId: string } }).value.userId)).toEqual(['ada', 'bob']);
    expect(second.forwarded).toHaveLength(1);
  });

  it('lets go of the lock of a cassette it cannot read again once the lock is taken, and records into it once it is repaired', async () => {
    const first = await openTestRecorder(created);
    const second = await openTestRecorder(created, { cassettes: first.cassettes });
    const file = join(first.cassettes, 'default.json');
    await first.send('POST', '/v1/users', { body: ADA });
    // Loaded by the second recorder, whose lock the first one refuses.
    expect((await second.send('POST', '/v1/users', { body: ADA })).response.status).toBe(500);
    await first.recorder.close();
    const whole = await readFile(file, 'utf8');
    // Broken after the second one loaded it: the lock is taken, the read under it fails.
    await writeFile(file, '{ not json');
    const broken = await second.send('POST', '/v1/users', { body: ADA });
    expect([broken.source, broken.response.status]).toEqual(['error', 500]);
    expect((broken.response.body as { value: { message: string } }).value.message).toMatch(/^Failed to load cassette ".*default\.json"/);
    expect(existsSync(`${file}.lock`)).toBe(false);
    await writeFile(file, whole);
    expect((await second.send('POST', '/v1/users', { body: { ...ADA, userId: 'bob' } })).source).toBe('upstream');
    expect(second.forwarded).toHaveLength(1);
  });
});

describe('the recorder: a write that fails after the answer', () => {
  it('answers the client, then reports the failed append of its interaction', async () => {
    const rec = await openTestRecorder(created);
    await rec.send('POST', '/v1/users', { body: ADA });
    await rec.recorder.flush();
    // A link where the journal goes: the recorder never appends through one.
    await symlink(join(rec.cassettes, 'elsewhere'), journalPath(join(rec.cassettes, 'default.json')));
    const answered = await rec.send('POST', '/v1/users', { body: { ...ADA, userId: 'bob' } });
    expect([answered.source, answered.response.status]).toEqual(['upstream', 201]);
    await rec.recorder.flush();
    // The append, then the fold of flush, which finds the link where the journal should be.
    expect(rec.writeErrors.map(String)).toEqual([
      expect.stringMatching(/^VcrError: Failed to write cassette ".*default\.json": ELOOP/),
      expect.stringMatching(/^VcrError: Failed to write cassette ".*default\.json": Failed to load cassette journal ".*": it is a link/),
    ]);
  });
});
