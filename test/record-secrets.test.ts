import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorder, startServer, type VcrRecorder } from '../src/index.js';

const SECRET = 'Hunter2-inline-secret';
const HEADERS = { 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': 'standard_secrets0key' };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** An upstream that answers every request with a small JSON body and remembers what it was sent. */
let upstream: Server;
let upstreamUrl = '';
const seen: Seen[] = [];
/** The body of the upstream's next answers; a small JSON body by default. */
let answer: unknown = { data: {} };
let answerStatus = 200;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const encoding = req.headers['x-test-encoding'];
      res
        .writeHead(answerStatus, { 'content-type': 'application/json', ...(typeof encoding === 'string' ? { 'content-encoding': encoding } : {}) })
        .end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

/** Records what `send` sends, then returns every file of the cassette folder as one text. */
async function recordAndRead(send: (recorder: VcrRecorder) => Promise<void>, options: { adminToken?: string } = {}): Promise<string> {
  const cassettes = await mkdtemp(join(tmpdir(), 'vcr-secrets-'));
  try {
    const recorder = await startRecorder({ upstream: upstreamUrl, port: 0, cassettes, ...options });
    try {
      await send(recorder);
    } finally {
      await recorder.close();
    }
    const names = await readdir(cassettes);
    const texts = await Promise.all(names.map((name) => readFile(join(cassettes, name), 'utf8')));
    return texts.join('\n');
  } finally {
    await rm(cassettes, { recursive: true, force: true });
  }
}

/** Every encoding a secret could hide under in a stored file. */
function expectNoSecret(text: string, secret = SECRET): void {
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
  expect(text).not.toContain(encodeURIComponent(secret));
}

describe('secrets inside GraphQL documents never reach a cassette', () => {
  it('redacts a password written inline in a GraphQL query, in JSON, in a batch, in a multipart upload and as application/graphql, keeping the rest of the document', async () => {
    const document = `mutation { accountCreate(userId: "u1", email: "ada@example.com", password: "${SECRET}") { _id } }`;
    const nested = `mutation { messagingCreateFcmProvider(providerId: "p", name: "n", serviceAccountJSON: { key: """${SECRET}""" }) { _id } }`;
    const stored = await recordAndRead(async (recorder) => {
      const json = { ...HEADERS, 'content-type': 'application/json' };
      expect(
        (await fetch(`${recorder.endpoint}/graphql/mutation`, { method: 'POST', headers: json, body: JSON.stringify({ query: document, variables: {} }) }))
          .status,
      ).toBe(200);
      expect(
        (
          await fetch(`${recorder.endpoint}/graphql`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify([{ query: nested }, { query: `query ($password: String = "${SECRET}") { accountGet { _id } }` }]),
          })
        ).status,
      ).toBe(200);
      const form = new FormData();
      form.set('operations', JSON.stringify({ query: document, variables: { file: null } }));
      form.set('map', JSON.stringify({ 0: ['variables.file'] }));
      form.set('0', new Blob([Buffer.from('x')]), 'x.txt');
      expect((await fetch(`${recorder.endpoint}/graphql/mutation`, { method: 'POST', headers: HEADERS, body: form })).status).toBe(200);
      expect(
        (
          await fetch(`${recorder.endpoint}/graphql/mutation`, {
            method: 'POST',
            headers: { ...HEADERS, 'content-type': 'application/graphql' },
            body: document,
          })
        ).status,
      ).toBe(200);
    });
    expectNoSecret(stored);
    // The document keeps its shape: only the secret's value went.
    expect(stored).toMatch(/accountCreate\(userId: \\"u1\\", email: \\"ada@example.com\\", password: \\"\[redacted\]\\"\)/);
    expect(stored).toContain('messagingCreateFcmProvider');
  });
});

describe('secrets never reach a cassette in any encoding', () => {
  it('redacts a secret in JSON held in a string, in a JSON text or byte body, behind a percent-encoded name, and in Basic credentials', async () => {
    const basic = Buffer.from(`admin:${SECRET}`).toString('base64');
    // Appwrite decodes a document's `data` sent as a JSON string (app/controllers/api/databases.php:2764 at 1.5.0).
    answer = { $id: 'e1', responseBody: JSON.stringify({ secret: SECRET, ok: true }), responseStatusCode: 200 };
    let stored: string;
    try {
      stored = await recordAndRead(async (recorder) => {
        const send = (path: string, contentType: string, body: string, extra: Record<string, string> = {}): Promise<Response> =>
          fetch(`${recorder.endpoint}${path}`, { method: 'POST', headers: { ...HEADERS, 'content-type': contentType, ...extra }, body });
        const user = JSON.stringify({ userId: 'u1', password: SECRET });
        const answers = [
          await send(
            '/databases/db/collections/c/documents',
            'application/json',
            JSON.stringify({ documentId: 'd1', data: JSON.stringify({ password: SECRET }) }),
          ),
          await send('/users', 'text/plain', user),
          await send('/users', 'application/octet-stream', ` ${user}`),
          await send('/users', 'application/x-www-form-urlencoded', `userId=u1&pass%77ord=${SECRET}`),
          await send('/functions/f/executions', 'application/json', JSON.stringify({ body: '' }), { authorization: `Basic ${basic}` }),
          await fetch(`${recorder.endpoint}/users?%73ecret=${SECRET}&search=x`, { headers: HEADERS }),
        ];
        expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200]);
      });
    } finally {
      answer = { data: {} };
    }
    expectNoSecret(stored);
    expect(stored).not.toContain(basic);
    const interactions = (
      JSON.parse(stored) as { interactions: { request: { body: unknown; query: unknown; headers: Record<string, string> }; response: { body: unknown } }[] }
    ).interactions;
    expect(interactions).toHaveLength(6);
    expect(interactions[0]?.request.body).toEqual({ kind: 'json', value: { documentId: 'd1', data: '{"password":"[redacted]"}' } });
    expect(interactions[0]?.response.body).toMatchObject({ kind: 'json', value: { responseBody: '{"secret":"[redacted]","ok":true}' } });
    expect(interactions[1]?.request.body).toEqual({ kind: 'text', value: '{"userId":"u1","password":"[redacted]"}' });
    expect(interactions[2]?.request.body).toEqual({ kind: 'base64', value: Buffer.from('{"userId":"u1","password":"[redacted]"}').toString('base64') });
    expect(interactions[3]?.request.body).toEqual({ kind: 'text', value: 'userId=u1&pass%77ord=%5Bredacted%5D' });
    expect(interactions[4]?.request.headers.authorization).toBe('Basic [redacted]');
    expect(interactions[5]?.request.query).toEqual({ search: 'x', secret: '[redacted]' });
  });
});

describe('findings a cassette stores hold no secret', () => {
  it('stores a secret that fails validation, in the request or the answer, as the placeholder it was redacted to', async () => {
    // Appwrite accepts an FCM service account sent as a JSON string (its JSON validator decodes it); the spec says object.
    const serviceAccountJSON = JSON.stringify({ type: 'service_account', private_key: SECRET });
    answer = {
      $id: 'fcm',
      $createdAt: '2026-01-01T00:00:00.000+00:00',
      $updatedAt: '2026-01-01T00:00:00.000+00:00',
      name: 'push',
      provider: 'fcm',
      enabled: true,
      type: 'push',
      credentials: SECRET,
      options: {},
    };
    answerStatus = 201;
    let stored: string;
    try {
      stored = await recordAndRead(async (recorder) => {
        const res = await fetch(`${recorder.endpoint}/messaging/providers/fcm`, {
          method: 'POST',
          headers: { ...HEADERS, 'content-type': 'application/json' },
          body: JSON.stringify({ providerId: 'fcm', name: 'push', serviceAccountJSON }),
        });
        expect(res.status).toBe(201);
      });
    } finally {
      answer = { data: {} };
      answerStatus = 200;
    }
    const violations =
      (JSON.parse(stored) as { interactions: { violations?: { side: string; path: string; value?: unknown }[] }[] }).interactions[0]?.violations ?? [];
    // Both still say where the drift is, with the redacted value.
    expect(violations).toContainEqual(expect.objectContaining({ side: 'request', path: '/serviceAccountJSON', value: '[redacted]' }));
    expect(violations).toContainEqual(expect.objectContaining({ side: 'response', path: '/credentials', value: '[redacted]' }));
    expectNoSecret(stored);
  });
});

describe('secrets in form bodies never reach a cassette', () => {
  it('redacts a password and nested provider credentials in an application/x-www-form-urlencoded body by field name, and replay matches it', async () => {
    const form = `userId=u1&email=ada%40example.com&password=${encodeURIComponent(SECRET)}&name=Ada`;
    const nested = `providerId=mg&name=mail&apiKey=${SECRET}&credentials%5BapiKey%5D=${SECRET}`;
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-secrets-form-'));
    try {
      const recorder = await startRecorder({ upstream: upstreamUrl, port: 0, cassettes });
      const headers = { ...HEADERS, 'content-type': 'application/x-www-form-urlencoded' };
      try {
        expect((await fetch(`${recorder.endpoint}/users`, { method: 'POST', headers, body: form })).status).toBe(200);
        expect((await fetch(`${recorder.endpoint}/messaging/providers/mailgun`, { method: 'POST', headers, body: nested })).status).toBe(200);
      } finally {
        await recorder.close();
      }
      const stored = await readFile(join(cassettes, 'default.json'), 'utf8');
      expectNoSecret(stored);
      expect(stored).toContain('userId=u1&email=ada%40example.com&password=%5Bredacted%5D&name=Ada');
      // The same form, with another password, is matched as it was stored.
      const replay = await startServer({ port: 0, cassettes, fallback: 'schema' });
      try {
        const res = await fetch(`${replay.endpoint}/users`, { method: 'POST', headers, body: form.replace(encodeURIComponent(SECRET), 'another') });
        expect(res.headers.get('x-vcr-source')).toBe('cassette');
      } finally {
        await replay.close();
      }
    } finally {
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});

describe('the admin token stays with appwrite-vcr', () => {
  it('never forwards X-Vcr-Admin-Token to the upstream nor stores it in the cassette', async () => {
    const token = 'admin-token-never-forwarded-0123';
    seen.length = 0;
    const stored = await recordAndRead(
      async (recorder) => {
        const res = await fetch(`${recorder.endpoint}/users`, {
          method: 'POST',
          headers: { ...HEADERS, 'content-type': 'application/json', 'x-vcr-admin-token': token },
          body: JSON.stringify({ userId: 'u2', email: 'grace@example.com' }),
        });
        expect(res.status).toBe(200);
      },
      { adminToken: token },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['x-appwrite-project']).toBe('vcr-test');
    expect(seen[0]?.headers['x-vcr-admin-token']).toBeUndefined();
    expectNoSecret(stored, token);
    expect(stored.toLowerCase()).not.toContain('x-vcr-admin-token');
  });
});

describe('the lower-risk leaks', () => {
  it('hides a secret query parameter whose name is percent-encoded in the log line', async () => {
    const { redactUrl } = await import('../src/cassette/redact.js');
    expect(redactUrl(`/v1/account/verification?userId=u1&%73ecret=${SECRET}`)).toBe('/v1/account/verification?userId=u1&%73ecret=[redacted]');
    expect(redactUrl(`/v1/x?credentials%5BapiKey%5D=${SECRET}&ok=1`)).toBe('/v1/x?credentials%5BapiKey%5D=[redacted]&ok=1');
    // And through the real CLI log.
    const { runCli } = await import('./support/cli.js');
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-secrets-log-'));
    const run = runCli(['replay', '--port', '0', '--cassettes', cassettes]);
    try {
      const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      await fetch(`${endpoint}/account/verification?userId=u1&%73ecret=${SECRET}`, { method: 'PUT', headers: HEADERS });
      await run.waitFor(/account\/verification/);
      expect(run.stdout()).toContain('%73ecret=[redacted]');
      expect(run.stdout()).not.toContain(SECRET);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await rm(cassettes, { recursive: true, force: true });
    }
  });

  it('passes on an answer whose content-encoding cannot be undone but stores nothing of it', async () => {
    answer = { secret: SECRET };
    let stored: string;
    try {
      stored = await recordAndRead(async (recorder) => {
        const res = await fetch(`${recorder.endpoint}/health`, { headers: { ...HEADERS, 'x-test-encoding': 'x-unknown' } });
        expect(res.status).toBe(200);
      });
    } finally {
      answer = { data: {} };
    }
    expect(stored).toBe('');
  });

  it('refuses user:password@ in --upstream without printing the password', async () => {
    const { resolveRecordConfig } = await import('../src/config/record-config.js');
    const attempt = (): unknown => resolveRecordConfig({ upstream: `http://admin:${SECRET}@127.0.0.1:1/v1` });
    expect(attempt).toThrow(/Failed to use option "upstream": "http:\/\/127\.0\.0\.1:1\/v1" is not an upstream without credentials/);
    expect(attempt).not.toThrow(new RegExp(SECRET));
  });
});
