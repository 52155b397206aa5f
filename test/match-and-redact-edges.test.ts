import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { lintCassettes, startRecorder, startServer } from '../src/index.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { KEY_HEADERS, startTestServer } from './support/server.js';

describe('matching at its edges', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-edges-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a body-less recorded DELETE to a DELETE that sends `{}`, as the SDKs send it', async () => {
    const folder = join(dir, 'delete');
    const recorded = jsonInteraction('1', 'DELETE', '/v1/users/ada', 204, null);
    recorded.response = { status: 204, headers: {}, body: null };
    await writeCassette(folder, 'default', [recorded]);
    const server = await startTestServer({ cassettes: folder, fallback: 'schema' });
    try {
      const res = await server.call('DELETE', '/users/ada', { body: {} });
      expect(res.status).toBe(204);
      expect(res.headers.get('x-vcr-source')).toBe('cassette');
    } finally {
      await server.stop();
    }
  });

  it('reads `?flag&x=1` as flag empty and x 1, and matches only that query', async () => {
    const folder = join(dir, 'flag');
    await writeCassette(folder, 'default', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada with flag'), { query: { flag: '', x: '1' } })]);
    const server = await startTestServer({ cassettes: folder, fallback: 'schema' });
    try {
      const hit = await fetch(`${server.endpoint}/users/ada?flag&x=1`, { headers: KEY_HEADERS });
      expect(hit.headers.get('x-vcr-source')).toBe('cassette');
      expect(((await hit.json()) as { name: string }).name).toBe('Ada with flag');
      const miss = await fetch(`${server.endpoint}/users/ada?x=1`, { headers: KEY_HEADERS });
      expect(miss.headers.get('x-vcr-source')).toBe('fallback');
    } finally {
      await server.stop();
    }
  });
});

describe('redaction at its edges', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-redact-edges-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('redacts an Authorization value without a scheme whole, keeps nulls, and leaves ordinary strings alone', async () => {
    const upstream = await startServer({ port: 0, cassettes: join(dir, 'upstream') });
    const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes: join(dir, 'cassettes'), cassette: 'edges' });
    try {
      const res = await fetch(`${recorder.endpoint}/users`, {
        method: 'POST',
        headers: { ...KEY_HEADERS, 'content-type': 'application/json', authorization: 'plain-token-0123456789' },
        body: JSON.stringify({ userId: 'olive', email: 'olive@example.com', password: 'orange-secret-42', name: 'orange', phone: null }),
      });
      expect(res.status).toBe(201);
    } finally {
      await recorder.close();
      await upstream.close();
    }
    const text = await readFile(join(dir, 'cassettes', 'edges.json'), 'utf8');
    expect(text).not.toContain('plain-token-0123456789');
    expect(text).not.toContain('orange-secret-42');
    const [interaction] = parseCassette(text, 'edges.json').interactions;
    expect(interaction?.request.headers.authorization).toBe('[redacted]');
    expect(interaction?.request.body).toEqual({
      kind: 'json',
      value: { userId: 'olive', email: 'olive@example.com', password: '[redacted]', name: 'orange', phone: null },
    });
    expect(interaction?.response.body).toMatchObject({ kind: 'json', value: { $id: 'olive', name: 'orange', email: 'olive@example.com' } });
  });
});

describe('lint at its edges', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-lint-edges-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports an error answer whose code is not its HTTP status, and a recorded request the contract refuses', async () => {
    await writeCassette(dir, 'edges', [
      jsonInteraction(
        '1',
        'GET',
        '/v1/users/ada',
        404,
        { message: 'User with the requested ID could not be found.', code: 400, type: 'user_not_found', version: '1.5.0' },
        { headers: { 'x-appwrite-key': '[redacted]' } },
      ),
      // Accepted by the server (201), yet the request misses `userId`: drift on the request side.
      jsonInteraction('2', 'POST', '/v1/users', 201, user('u1', 'U'), {
        headers: { 'x-appwrite-key': '[redacted]', 'content-type': 'application/json' },
        body: { kind: 'json', value: { name: 'U' } },
      }),
    ]);
    const report = await lintCassettes({ cassettes: dir });
    const groups = report.operations.flatMap((op) => op.findings.map((f) => [op.operationId, f.side, f.kind, f.path]));
    expect(groups).toEqual(
      expect.arrayContaining([
        ['usersGet', 'response', 'error-malformed', '/code'],
        ['usersCreate', 'request', 'parameter-missing', '/userId'],
      ]),
    );
    expect(report.summary.failed).toBe(true);
  });
});
