import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('replay from cassettes', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-replay-'));
    await writeCassette(dir, 'default', [
      jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada (first)')),
      jsonInteraction('2', 'GET', '/v1/users/ada', 200, user('ada', 'Ada (second)')),
      jsonInteraction('3', 'POST', '/v1/users', 201, user('grace', 'Grace'), {
        body: { kind: 'json', value: { userId: 'grace', name: 'Grace', email: 'grace@example.com' } },
      }),
      jsonInteraction(
        '4',
        'GET',
        '/v1/users',
        200,
        { total: 1, users: [user('ada', 'Ada')] },
        { query: { queries: ['{"method":"equal","attribute":"name","values":["Ada"]}', '{"method":"limit","values":[1]}'] } },
      ),
      jsonInteraction('5', 'GET', '/v1/users/missing', 404, {
        message: 'User with the requested ID could not be found.',
        code: 404,
        type: 'user_not_found',
        version: '1.5.0',
      }),
    ]);
    await writeCassette(dir, 'team-b/users', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'Ada from team B'))]);
    await writeCassette(dir, 'drifted', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), status: 'yes', shoeSize: 42 })]);
    await writeFile(join(dir, 'broken.json'), '{\n  "format": "appwrite-vcr-cassette",\n  "version": 1,\n  "interactions": [\n');
    server = await startTestServer({ cassettes: dir, fallback: 'schema' });
  });
  // Each test plays the cassettes from their first recording, whatever ran before it.
  beforeEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('plays repeated recordings of one request in order, then repeats the last', async () => {
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.call('GET', '/users/ada');
      expect(res.headers.get('x-vcr-source')).toBe('cassette');
      names.push(((await res.json()) as { name: string }).name);
    }
    expect(names).toEqual(['Ada (first)', 'Ada (second)', 'Ada (second)']);
  });

  it('matches a JSON body by meaning, whatever its key order and whatever the headers', async () => {
    const res = await server.call('POST', '/users', {
      body: '{"email":"grace@example.com","name":"Grace","userId":"grace"}',
      headers: { 'user-agent': 'AppwriteNodeJSSDK/99.0.0', 'x-sdk-version': '99.0.0' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-vcr-source')).toBe('cassette');
    expect(((await res.json()) as { name: string }).name).toBe('Grace');
  });

  it('matches array query parameters in the indexed form the SDK sends, keeping their order', async () => {
    const q0 = encodeURIComponent('{"method":"equal","attribute":"name","values":["Ada"]}');
    const q1 = encodeURIComponent('{"method":"limit","values":[1]}');
    const hit = await server.call('GET', `/users?queries%5B0%5D=${q0}&queries%5B1%5D=${q1}`);
    expect(hit.headers.get('x-vcr-source')).toBe('cassette');
    const swapped = await server.call('GET', `/users?queries%5B0%5D=${q1}&queries%5B1%5D=${q0}`);
    expect(swapped.headers.get('x-vcr-source')).toBe('fallback');
  });

  it.each([
    ['indexes arriving out of order', (q0: string, q1: string) => `queries%5B1%5D=${q1}&queries%5B0%5D=${q0}`],
    ['empty brackets', (q0: string, q1: string) => `queries%5B%5D=${q0}&queries%5B%5D=${q1}`],
    ['a repeated plain name', (q0: string, q1: string) => `queries=${q0}&queries=${q1}`],
    ['empty pairs and unencoded brackets', (q0: string, q1: string) => `&queries[0]=${q0}&&queries[1]=${q1}&`],
  ])('matches an array query parameter sent with %s', async (_form, query) => {
    const q0 = encodeURIComponent('{"method":"equal","attribute":"name","values":["Ada"]}');
    const q1 = encodeURIComponent('{"method":"limit","values":[1]}');
    const res = await server.call('GET', `/users?${query(q0, q1)}`);
    expect(res.headers.get('x-vcr-source')).toBe('cassette');
    expect(((await res.json()) as { total: number }).total).toBe(1);
  });

  it('tells a path with a trailing slash or an empty segment from the recorded one', async () => {
    for (const path of ['/users/ada/', '/users//ada']) {
      const res = await server.call('GET', path);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ type: 'general_route_not_found' });
    }
  });

  it('answers a replayed recording with the same bytes and headers every time, violations counted each time', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'drifted' } });
      const text = await res.text();
      answers.push({
        text,
        length: res.headers.get('content-length'),
        violations: res.headers.get('x-vcr-violations'),
        source: res.headers.get('x-vcr-source'),
      });
      expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    }
    expect(answers[0]).toMatchObject({ violations: '2', source: 'cassette' });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('replays a recorded Appwrite error as a clean interaction', async () => {
    const res = await server.call('GET', '/users/missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-vcr-violations')).toBeNull();
    expect(await res.json()).toMatchObject({ type: 'user_not_found', code: 404 });
  });

  it('switches cassettes per request with X-Vcr-Cassette, including cassettes in folders', async () => {
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'team-b/users' } });
    expect(((await res.json()) as { name: string }).name).toBe('Ada from team B');
  });

  it('serves a recording that breaks the contract but counts its violations', async () => {
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'drifted' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('cassette');
    expect(res.headers.get('x-vcr-violations')).toBe('2');
  });

  it.each(['../outside', '/etc/passwd', 'a/../../b', '..', 'name%00.json', '.hidden/../x', 'C:\\x'])(
    'refuses the cassette name %j with a 400',
    async (name) => {
      const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': name } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    },
  );

  it('refuses a cassette folder that is a link leading out of the cassettes folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'vcr-outside-'));
    await writeCassette(outside, 'secret', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'from outside'))]);
    await symlink(outside, join(dir, 'escape'));
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'escape/secret' } });
    expect(res.status).toBe(400);
    await rm(outside, { recursive: true, force: true });
  });

  it('names the file and position of a malformed cassette, and keeps serving the others', async () => {
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'broken' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { message: string; type: string };
    expect(body.type).toBe('general_server_error');
    expect(body.message).toContain('broken.json');
    expect(body.message).toMatch(/line \d+, column \d+/);
    const ok = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'team-b/users' } });
    expect(ok.status).toBe(200);
  });

  it('answers from the schema when the named cassette does not exist yet', async () => {
    await mkdir(join(dir, 'empty-folder'), { recursive: true });
    const res = await server.call('GET', '/users/ada', { headers: { 'x-vcr-cassette': 'empty-folder/none' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vcr-source')).toBe('fallback');
  });
});

describe('replay with --strict', () => {
  it('answers 502 with the violation instead of a recording that breaks the contract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-strict-'));
    await writeCassette(dir, 'default', [jsonInteraction('1', 'GET', '/v1/users/ada', 200, { ...user('ada', 'Ada'), status: 'yes' })]);
    const server = await startTestServer({ cassettes: dir, strict: true });
    try {
      const res = await server.call('GET', '/users/ada');
      expect(res.status).toBe(502);
      const body = (await res.json()) as { message: string; code: number };
      expect(body.code).toBe(502);
      expect(body.message).toContain('/status');
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
