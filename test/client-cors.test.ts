import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer } from './support/server.js';

const ORIGIN = 'http://127.0.0.1:5173';
const PROJECT = { 'x-appwrite-project': 'test-project' };

/** The CORS headers every answer to a browser must carry (app/controllers/general.php at 1.5.0, lines 548-552). */
function expectCors(res: Response, origin = ORIGIN): void {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE');
  expect(res.headers.get('access-control-expose-headers')).toBe('X-Appwrite-Session, X-Fallback-Cookies');
  const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(', ');
  for (const name of [
    'X-Appwrite-Project',
    'X-Appwrite-JWT',
    'X-Fallback-Cookies',
    'X-Appwrite-Session',
    'Content-Type',
    'X-SDK-Version',
    'Content-Range',
    'X-Appwrite-ID',
  ])
    expect(allowed).toContain(name);
}

describe('CORS as Appwrite 1.5 answers a browser', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('answers a preflight on any path, known or not, with 204 and the origin echoed', async () => {
    for (const path of ['/account', '/databases/db/collections/c/documents', '/no/such/route']) {
      const res = await fetch(`${server.endpoint}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-appwrite-project' },
      });
      expect(res.status, path).toBe(204);
      expectCors(res);
      expect(await res.text()).toBe('');
    }
  });

  it('puts the CORS headers on errors, generated answers, state answers and replayed ones alike', async () => {
    const headers = { ...PROJECT, origin: ORIGIN };
    const notFound = await fetch(`${server.endpoint}/no/such/route`, { headers });
    expect(notFound.status).toBe(404);
    expectCors(notFound);
    const refused = await fetch(`${server.endpoint}/account`, { headers });
    expect(refused.status).toBe(401);
    expectCors(refused);
    const generated = await fetch(`${server.endpoint}/locale/countries`, { headers });
    expect(generated.headers.get('x-vcr-fallback')).toBe('schema');
    expect(generated.status).toBe(200);
    expectCors(generated);
    const stated = await fetch(`${server.endpoint}/account`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'unique()', email: 'cors@example.com', password: 'password-1' }),
    });
    expect(stated.status).toBe(201);
    expectCors(stated);
  });

  it("replays a recording with the live request's origin, not the one recorded", async () => {
    await writeCassette(server.cassettes, 'recorded-cors', [
      Object.assign(jsonInteraction('i1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada')), {
        response: {
          status: 200,
          headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'http://localhost' },
          body: { kind: 'json', value: user('ada', 'Ada') },
        },
      }),
    ]);
    const res = await fetch(`${server.endpoint}/users/ada`, {
      headers: { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'k', origin: ORIGIN, 'x-vcr-cassette': 'recorded-cors' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('cassette');
    expectCors(res);
  });

  it('never gives the admin routes CORS permission', async () => {
    const preflight = await fetch(`${server.url}/__vcr/reset`, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const reset = await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { origin: ORIGIN, 'x-vcr-admin': '1' } });
    expect(reset.status).toBe(204);
    expect(reset.headers.get('access-control-allow-origin')).toBeNull();
    expect(reset.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('--origins: writes from an unregistered origin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ origins: ['http://127.0.0.1:5173', 'app.example.com'] });
  });
  afterAll(() => server.stop());

  const signUp = (origin: string, extra: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.endpoint}/account`, {
      method: 'POST',
      headers: { ...PROJECT, origin, 'content-type': 'application/json', ...extra },
      body: JSON.stringify({ userId: 'unique()', email: `o${Math.random().toString(36).slice(2)}@example.com`, password: 'password-1' }),
    });

  it('refuses a write from another origin without a key with 403 general_unknown_origin, worded as Appwrite words it', async () => {
    const res = await signUp('http://evil.example.net:8080');
    expect(res.status).toBe(403);
    expectCors(res, 'http://evil.example.net:8080');
    // app/controllers/general.php:568 and src/Appwrite/Network/Validator/Origin.php:107 at 1.5.0
    expect(await res.json()).toEqual({
      message: 'Invalid Origin. Register your new client (evil.example.net) as a new Web platform on your project console dashboard',
      code: 403,
      type: 'general_unknown_origin',
      version: '1.5.0',
    });
  });

  it('accepts writes from a listed origin or host name, writes with a key, and reads from anywhere', async () => {
    expect((await signUp('http://127.0.0.1:5173')).status).toBe(201);
    expect((await signUp('https://app.example.com')).status).toBe(201);
    expect((await signUp('http://evil.example.net', { 'x-appwrite-key': 'k' })).status).toBe(201);
    const read = await fetch(`${server.endpoint}/locale`, { headers: { ...PROJECT, origin: 'http://evil.example.net' } });
    expect(read.status).toBe(200);
    const preflight = await fetch(`${server.endpoint}/account`, { method: 'OPTIONS', headers: { origin: 'http://evil.example.net' } });
    expect(preflight.status).toBe(204);
  });
});
