import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCassette, stringifyCassette } from '../src/cassette/cassette-format.js';
import { readCassette, startRecorder, startServer } from '../src/index.js';
import { useFakeUpstream } from './support/fake-upstream.js';
import { parseRedactRule } from '../src/config/redact-rule.js';
import { resolveRecordConfig } from '../src/config/record-config.js';
import { REDACTED, Redactor } from '../src/cassette/redact.js';
import type { VcrRequest } from '../src/model/exchange.js';

const request = (body: unknown, headers: Record<string, string | string[]> = {}, query: Record<string, string> = {}): VcrRequest => ({
  method: 'POST',
  path: '/v1/x',
  query,
  headers,
  body: { kind: 'json', value: body },
});

describe('redaction of what a cassette stores', () => {
  const redactor = new Redactor();

  it('hides credential headers, keeping the scheme of Authorization and the names of cookies', () => {
    const out = redactor.request(
      request(
        {},
        {
          'x-appwrite-key': 'standard_abc',
          'x-appwrite-jwt': 'eyJ.a.b',
          'x-appwrite-session': 'sess',
          'x-appwrite-project': 'p1',
          authorization: 'Bearer tok',
          cookie: 'a_session_p1=s3cr3t; a_session_p1_legacy=s3cr3t',
        },
      ),
    );
    expect(out.headers).toEqual({
      'x-appwrite-key': REDACTED,
      'x-appwrite-jwt': REDACTED,
      'x-appwrite-session': REDACTED,
      'x-appwrite-project': 'p1',
      authorization: `Bearer ${REDACTED}`,
      cookie: `a_session_p1=${REDACTED}; a_session_p1_legacy=${REDACTED}`,
    });
  });

  it('hides the value of every Set-Cookie and keeps its attributes', () => {
    const out = redactor.response({
      status: 201,
      headers: {
        'set-cookie': ['a_session_p1=abc; expires=Wed, 01 Jan 2031 00:00:00 GMT; path=/; httponly', 'a_session_p1_legacy=abc; path=/'],
        'x-fallback-cookies': '{"a_session_p1":"abc"}',
      },
      body: null,
    });
    expect(out.headers).toEqual({
      'set-cookie': [`a_session_p1=${REDACTED}; expires=Wed, 01 Jan 2031 00:00:00 GMT; path=/; httponly`, `a_session_p1_legacy=${REDACTED}; path=/`],
      'x-fallback-cookies': `{"a_session_p1":"${REDACTED}"}`,
    });
  });

  it('hides passwords, secrets and provider credentials in request bodies at any depth, and leaves empty values and other fields alone', () => {
    const out = redactor.request(
      request({
        userId: 'u1',
        password: 'pw',
        oldPassword: 'old',
        secret: '',
        nested: { apiKey: 'k', authKey: 'a', serverKey: 's', apiSecret: 'x', authToken: 't', key: 'title' },
      }),
    );
    expect(out.body).toEqual({
      kind: 'json',
      value: {
        userId: 'u1',
        password: REDACTED,
        oldPassword: REDACTED,
        secret: '',
        nested: { apiKey: REDACTED, authKey: REDACTED, serverKey: REDACTED, apiSecret: REDACTED, authToken: REDACTED, key: 'title' },
      },
    });
  });

  it("hides a function variable's value: in the create and update bodies, and wherever an answer holds a variable", () => {
    const sent = { ...request({ key: 'STRIPE_KEY', value: 'sk_live_1' }), path: '/v1/functions/billing/variables' };
    expect(redactor.request(sent, 'functionsCreateVariable').body).toEqual({ kind: 'json', value: { key: 'STRIPE_KEY', value: REDACTED } });
    expect(redactor.request(sent, 'functionsUpdateVariable').body).toEqual({ kind: 'json', value: { key: 'STRIPE_KEY', value: REDACTED } });
    // The same fields in a document are data.
    expect(redactor.request(sent, 'databasesCreateDocument').body).toEqual(sent.body);
    const variable = { $id: 'v1', $createdAt: '', $updatedAt: '', key: 'STRIPE_KEY', value: 'sk_live_1', resourceType: 'function', resourceId: 'billing' };
    const answer = { total: 1, functions: [{ $id: 'billing', vars: [variable] }] };
    expect(redactor.response({ status: 200, headers: {}, body: { kind: 'json', value: answer } }).body).toEqual({
      kind: 'json',
      value: { total: 1, functions: [{ $id: 'billing', vars: [{ ...variable, value: REDACTED }] }] },
    });
    expect(redactor.response({ status: 200, headers: {}, body: { kind: 'json', value: { total: 1, variables: [variable] } } }).body).toEqual({
      kind: 'json',
      value: { total: 1, variables: [{ ...variable, value: REDACTED }] },
    });
    // Replay redacts a live request the same way before matching.
    expect(redactor.matchable(sent, 'functionsCreateVariable').body).toEqual({ kind: 'json', value: { key: 'STRIPE_KEY', value: REDACTED } });
  });

  it('hides session and token secrets, JWTs, MFA recovery codes, TOTP URIs and provider credentials in answers, keeping only the shape of a secret or JWT an app reads back', () => {
    const jwt = `${Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url')}.${Buffer.from('{"userId":"u1","sessionId":"s1","exp":1}').toString('base64url')}.c2lnbmF0dXJl`;
    const body = {
      secret: 'abc',
      jwt: 'eyJ',
      recoveryCodes: ['a1', 'b2'],
      uri: 'otpauth://totp/x?secret=ABC',
      credentials: { apiKey: 'k', port: 587, tls: true },
      $id: 'keep',
      tokens: [{ secret: '042917' }, { secret: 'a-b' }, { jwt }],
    };
    expect(redactor.response({ status: 200, headers: {}, body: { kind: 'json', value: body } }).body).toEqual({
      kind: 'json',
      value: {
        secret: '[redacted:hex3]',
        jwt: '[redacted:jwt]',
        recoveryCodes: [REDACTED, REDACTED],
        uri: REDACTED,
        credentials: { apiKey: REDACTED, port: REDACTED, tls: true },
        $id: 'keep',
        tokens: [{ secret: '[redacted:digits6]' }, { secret: REDACTED }, { jwt: '[redacted:jwt userId=u1 sessionId=s1]' }],
      },
    });
    // A request keeps the plain placeholder: it is matched against cassettes recorded before shapes were kept.
    expect(redactor.request(request({ secret: 'abc' })).body).toEqual({ kind: 'json', value: { secret: REDACTED } });
  });

  it('hides secrets in the query of a Location header', () => {
    const out = redactor.response({ status: 301, headers: { location: 'https://app.example/ok?userId=u1&secret=abc#x' }, body: null });
    expect(out.headers.location).toBe(`https://app.example/ok?userId=u1&secret=${REDACTED}#x`);
  });

  it('adds header names and JSON paths given with --redact, in both directions and in multipart fields', () => {
    const custom = new Redactor(['x-tenant-token', '$.data.ssn', '$..pin', '$.items[*].card'].map(parseRedactRule));
    const out = custom.request({
      ...request(
        { data: { ssn: '123', name: 'Ada' }, deep: [{ pin: 1234 }, { pin: '9' }], items: [{ card: '4111' }, { other: 'x' }] },
        { 'X-Tenant-Token': 'tt' },
      ),
    });
    expect(out.headers).toEqual({ 'X-Tenant-Token': REDACTED });
    expect(out.body).toEqual({
      kind: 'json',
      value: { data: { ssn: REDACTED, name: 'Ada' }, deep: [{ pin: REDACTED }, { pin: REDACTED }], items: [{ card: REDACTED }, { other: 'x' }] },
    });
    const form = custom.body({ kind: 'multipart', fields: { pin: '42', password: 'pw', name: 'n' }, files: [] });
    expect(form).toEqual({ kind: 'multipart', fields: { pin: REDACTED, password: REDACTED, name: 'n' }, files: [] });
  });

  it('returns the very same objects when there is nothing to hide', () => {
    const input = request({ name: 'Ada', list: [1, { a: 'b' }] }, { 'x-appwrite-project': 'p' }, { search: 'x' });
    const out = redactor.request(input);
    expect(out.body).toBe(input.body);
    expect(out.headers).toBe(input.headers);
    expect(out.query).toBe(input.query);
  });
});

describe('replay of redacted recordings', () => {
  it('matches a live request whose secrets were redacted when recorded, with the same --redact list', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-redact-'));
    const cassette = emptyCassette({ createdBy: 'test', createdAt: '2024-07-24T00:00:00.000Z', specVersion: '1.5.0' });
    cassette.interactions.push({
      id: '1',
      operationId: 'databasesCreateDocument',
      recordedAt: '2024-07-24T00:00:00.000Z',
      durationMs: 1,
      request: {
        method: 'POST',
        path: '/v1/databases/shop/collections/cards/documents',
        query: {},
        headers: {},
        body: { kind: 'json', value: { documentId: 'card-1', data: { holder: 'Ada', pin: REDACTED, password: REDACTED } } },
      },
      response: { status: 201, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { $id: 'card-1', recorded: true } } },
    });
    await writeFile(join(cassettes, 'default.json'), stringifyCassette(cassette));
    const live = JSON.stringify({ documentId: 'card-1', data: { holder: 'Ada', pin: '0042', password: 'live secret' } });
    try {
      for (const redact of [['$..pin'], []]) {
        const server = await startServer({ port: 0, cassettes, redact });
        try {
          const res = await fetch(`${server.endpoint}/databases/shop/collections/cards/documents`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' },
            body: live,
          });
          expect(res.headers.get('x-vcr-source')).toBe(redact.length > 0 ? 'cassette' : 'fallback');
        } finally {
          await server.close();
        }
      }
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});

describe('a cassette remembers the --redact rules it was recorded with', () => {
  const KEY = 'standard_redact0key';
  const fake = useFakeUpstream('vcr-redact-rules-', KEY);
  const headers = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': KEY };
  const create = (endpoint: string, name: string) =>
    fetch(`${endpoint}/databases`, { method: 'POST', headers, body: JSON.stringify({ databaseId: 'ledger', name }) });

  it('lists them in meta.redact, and replay matches with them without being given --redact', async () => {
    const cassettes = await mkdtemp(join(fake.folder, 'c-'));
    const recorder = await startRecorder({ upstream: fake.upstream.endpoint, port: 0, cassettes, redact: ['$.name', 'X-Tenant-Token'] });
    try {
      expect((await create(recorder.endpoint, 'Ledger of Ada')).status).toBe(201);
    } finally {
      await recorder.close();
    }
    const stored = await readCassette(join(cassettes, 'default.json'));
    expect(stored.meta.redact).toEqual(['$.name', 'x-tenant-token']);
    expect(stored.interactions[0]?.request.body).toEqual({ kind: 'json', value: { databaseId: 'ledger', name: REDACTED } });
    for (const [redact, source] of [
      [[], 'cassette'],
      [['$.name'], 'cassette'],
    ] as const) {
      const replay = await startServer({ port: 0, cassettes, fallback: 'schema', redact: [...redact] });
      try {
        // Another name: it is redacted before matching, as it was when recorded.
        const res = await create(replay.endpoint, 'Ledger of Grace');
        expect(res.headers.get('x-vcr-source')).toBe(source);
      } finally {
        await replay.close();
      }
    }
    // A cassette without the rules still needs them from the command line.
    const bare = { ...stored, meta: { ...stored.meta } };
    delete bare.meta.redact;
    await writeFile(join(cassettes, 'default.json'), stringifyCassette(bare));
    const replay = await startServer({ port: 0, cassettes, fallback: 'schema' });
    try {
      expect((await create(replay.endpoint, 'Ledger of Grace')).headers.get('x-vcr-source')).toBe('fallback');
    } finally {
      await replay.close();
    }
  });

  it('refuses a cassette whose meta.redact holds a rule that does not parse', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-redact-bad-'));
    try {
      const cassette = emptyCassette({ createdBy: 'test', createdAt: '2024-07-24T00:00:00.000Z', specVersion: '1.5.0', redact: ['$.ok', 'not a header'] });
      await writeFile(join(cassettes, 'default.json'), stringifyCassette(cassette));
      const replay = await startServer({ port: 0, cassettes, fallback: 'schema' });
      try {
        const res = await fetch(`${replay.endpoint}/health`, { headers: { 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' } });
        expect(res.status).toBe(500);
        expect(((await res.json()) as { message: string }).message).toMatch(/"meta\.redact\[1\]": .*"not a header" is not a header name/);
      } finally {
        await replay.close();
      }
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});

describe('record options are checked once, with the valid values in the error', () => {
  it('rejects an unknown mode, a bad upstream, a bad timeout and a malformed --redact path', () => {
    expect(() => resolveRecordConfig({ upstream: 'http://127.0.0.1:1/v1', mode: 'sometimes' as never })).toThrow(
      'Failed to use option "mode": "sometimes" is not one of all, new',
    );
    expect(() => resolveRecordConfig({ upstream: 'ftp://example.com/v1' })).toThrow(
      /Failed to use option "upstream": "ftp:\/\/example.com\/v1" is not an http or https URL/,
    );
    expect(() => resolveRecordConfig({ upstream: 'http://127.0.0.1:1/v1', upstreamTimeoutMs: 0 })).toThrow(/"upstreamTimeoutMs": 0 is not a positive number/);
    expect(() => resolveRecordConfig({ upstream: 'http://127.0.0.1:1/v1', redact: ['$.a..'] })).toThrow(
      'Failed to use option "redact": "$.a.." is not a JSON path: ".." is none of ".key", "..key", ".*", "[*]", "[0]"',
    );
    expect(() => resolveRecordConfig({ upstream: 'http://127.0.0.1:1/v1', redact: ['bad header'] })).toThrow(/is not a header name/);
  });

  it('fills the defaults and freezes the result', () => {
    const config = resolveRecordConfig({ upstream: 'https://appwrite.example.com/v1/' });
    expect(config).toMatchObject({
      upstream: 'https://appwrite.example.com/v1',
      mode: 'all',
      insecure: false,
      upstreamTimeoutMs: 30_000,
      idMap: true,
      redact: [],
      maxBodyBytes: 100 * 1024 * 1024,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
