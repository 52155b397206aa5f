import { connect } from 'node:net';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { adminAccess } from '../src/server/admin-access.js';
import { runCli } from './support/cli.js';
import { startTestServer, type TestServer } from './support/server.js';

const TOKEN = 'a-long-enough-admin-token-0123456789';

async function expectForbidden(res: Response, message: RegExp): Promise<void> {
  expect(res.status).toBe(403);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['code', 'message', 'type', 'version']);
  expect(body).toMatchObject({ code: 403, type: 'general_access_forbidden', version: '1.5.0' });
  expect(body.message).toMatch(message);
}

/** Writes raw bytes and reads until the server closes or answers whole. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(text, 'latin1')));
    let out = '';
    socket.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      const end = out.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(out);
      if (end !== -1 && length && out.length >= end + 4 + Number(length[1])) socket.destroy();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('who may use the admin routes', () => {
  const loopbackPeer = '127.0.0.1';
  /** What a test runner on this machine sends: a POST naming 127.0.0.1, with `X-Vcr-Admin: 1`. */
  const LOCAL = { method: 'POST', host: '127.0.0.1:4010', marker: '1' };
  it.each([
    [
      'a loopback peer of a loopback bind, no token',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL },
      true,
    ],
    ['an IPv6 loopback peer of localhost', { boundHost: 'localhost', remoteAddress: '::1', token: null, presented: undefined, ...LOCAL }, true],
    ['an IPv4-mapped loopback peer', { boundHost: '127.0.0.1', remoteAddress: '::ffff:127.0.0.1', token: null, presented: undefined, ...LOCAL }, true],
    ['another machine, no token', { boundHost: '127.0.0.1', remoteAddress: '192.168.1.20', token: null, presented: undefined, ...LOCAL }, false],
    ['a look-alike address', { boundHost: '127.0.0.1', remoteAddress: '127.0.0.1.evil', token: null, presented: undefined, ...LOCAL }, false],
    [
      'a loopback peer of a 0.0.0.0 bind without a token (a port forward looks local)',
      { boundHost: '0.0.0.0', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL },
      false,
    ],
    ['a loopback peer of a :: bind without a token', { boundHost: '::', remoteAddress: '::1', token: null, presented: undefined, ...LOCAL }, false],
    ['a LAN bind without a token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: null, presented: undefined, ...LOCAL }, false],
    ['a LAN bind with the right token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: TOKEN, presented: TOKEN, ...LOCAL }, true],
    ['a LAN bind with a wrong token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: TOKEN, presented: `${TOKEN}x`, ...LOCAL }, false],
    ['a LAN bind with an empty token', { boundHost: '0.0.0.0', remoteAddress: '10.0.0.2', token: TOKEN, presented: '', ...LOCAL }, false],
    [
      'a loopback peer without the token once one is set',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: TOKEN, presented: undefined, ...LOCAL },
      false,
    ],
    [
      'a preflight, even from a loopback peer',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, method: 'OPTIONS' },
      false,
    ],
    [
      'a preflight with the right token',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: TOKEN, presented: TOKEN, ...LOCAL, method: 'OPTIONS' },
      false,
    ],
    [
      "a loopback peer without X-Vcr-Admin (a page's simple POST)",
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, marker: undefined },
      false,
    ],
    [
      'a loopback peer with X-Vcr-Admin: 0',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, marker: '0' },
      false,
    ],
    [
      'a rebound name in Host',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, host: 'evil.example:4010' },
      false,
    ],
    [
      'a name that only starts like localhost',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, host: 'localhost.evil.example' },
      false,
    ],
    ['no Host at all', { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, host: undefined }, false],
    [
      'Host localhost without a port',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined, ...LOCAL, host: 'localhost' },
      true,
    ],
    ['Host [::1] with a port', { boundHost: '::1', remoteAddress: '::1', token: null, presented: undefined, ...LOCAL, host: '[::1]:8080' }, true],
    [
      'any Host with the right token',
      { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: TOKEN, presented: TOKEN, ...LOCAL, host: 'vcr.internal:80', marker: undefined },
      true,
    ],
  ])('%s: allowed is %s', (_name, input, allowed) => {
    expect(adminAccess(input).allowed).toBe(allowed);
  });

  describe('over HTTP, with a token', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ adminToken: TOKEN });
    });
    afterAll(() => server.stop());

    it("refuses the reset route without the token, or with a wrong one, in Appwrite's error shape", async () => {
      await expectForbidden(await fetch(`${server.url}/__vcr/reset`, { method: 'POST' }), /X-Vcr-Admin-Token/i);
      await expectForbidden(await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin-token': 'wrong' } }), /admin token/);
      await expectForbidden(await fetch(`${server.url}/__vcr/anything-else`, { method: 'POST' }), /admin token/);
    });

    it('resets with the token', async () => {
      const res = await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin-token': TOKEN } });
      expect(res.status).toBe(204);
    });

    it('keeps the API itself open: the token guards the admin routes only', async () => {
      expect((await server.call('GET', '/health')).status).toBe(200);
    });
  });

  describe('over HTTP, without a token, from what a web page can send', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server.stop());

    /** A raw request, so that the Host header is whatever the test says (fetch sets its own). */
    const raw = (method: string, head: string): Promise<string> =>
      rawRequest(server.port, `${method} /__vcr/reset HTTP/1.1\r\n${head}content-length: 0\r\nconnection: close\r\n\r\n`);
    const created = async (): Promise<number> => ((await (await server.call('GET', '/users')).json()) as { total: number }).total;

    it('refuses a no-preflight text/plain POST, a CORS preflight and a rebound Host, and the state survives them', async () => {
      expect((await server.call('POST', '/users', { body: { userId: 'kept', email: 'kept@example.com' } })).status).toBe(201);
      // A page's simple request: no custom header.
      await expectForbidden(
        await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: 'x' }),
        /X-Vcr-Admin: 1/,
      );
      // The preflight a page sends before a request with X-Vcr-Admin: refused, with no CORS header to allow anything.
      const preflight = await fetch(`${server.url}/__vcr/reset`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-vcr-admin' },
      });
      expect([...preflight.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
      await expectForbidden(preflight, /no cross-origin request/);
      // A DNS-rebound page reaches 127.0.0.1 but sends its own name.
      const rebound = await raw('POST', 'host: evil.example:4010\r\nx-vcr-admin: 1\r\n');
      expect(rebound).toMatch(/^HTTP\/1\.1 403 /);
      expect(rebound).toMatch(/Host header that names this machine/);
      expect(await created()).toBe(1);
    });

    it('resets for a caller on this machine naming 127.0.0.1, localhost or [::1] with any port, with X-Vcr-Admin: 1', async () => {
      for (const host of ['localhost', 'localhost:1', '[::1]:65535', `127.0.0.1:${server.port}`]) {
        expect(await raw('POST', `host: ${host}\r\nx-vcr-admin: 1\r\n`)).toMatch(/^HTTP\/1\.1 204 /);
      }
      expect((await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin': '1' } })).status).toBe(204);
    });

    it('keeps answering the Appwrite routes under any Host name, as Appwrite does', async () => {
      const answer = await rawRequest(
        server.port,
        'GET /v1/health HTTP/1.1\r\nhost: appwrite-vcr.docker.internal:4010\r\nx-appwrite-project: p\r\nx-appwrite-key: k\r\nconnection: close\r\n\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    });
  });

  it('refuses a token short enough to guess, without printing it', async () => {
    const short = 'short-secret';
    const attempt = startServer({ port: 0, adminToken: short, cassettes: join(tmpdir(), 'never-created') });
    await expect(attempt).rejects.toThrow(/the token must be a string of at least 16 characters/);
    await expect(attempt).rejects.not.toThrow(new RegExp(short));
  });
});

describe('what the server binds to', () => {
  it('binds 127.0.0.1 when no host is given', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-bind-'));
    const server = await startServer({ port: 0, cassettes });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.config.host).toBe('127.0.0.1');
    } finally {
      await server.close();
      await rm(cassettes, { recursive: true, force: true });
    }
  });

  it('prints no warning on the command line for the default loopback bind', async () => {
    const run = runCli(['replay', '--port', '0', '--cassettes', join(tmpdir(), 'vcr-cli-never')]);
    await run.waitFor(/ at http:\/\/127\.0\.0\.1:\d+\/v1/);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).not.toMatch(/warning/);
  });

  it('warns before binding a non-loopback address, and says the admin routes stay shut without a token', async () => {
    // 192.0.2.1 is a documentation address no machine has: the warning is printed, then the bind fails, so nothing is exposed.
    const run = runCli(['replay', '--port', '0', '--host', '192.0.2.1', '--cassettes', join(tmpdir(), 'vcr-cli-never')]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(
      /warning binding 192\.0\.2\.1: anyone who can reach this address can use the server; the \/__vcr\/ admin routes stay off without --admin-token/,
    );
    expect(run.stderr()).toMatch(/Failed to listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/);
  });

  it('takes the admin token from APPWRITE_VCR_ADMIN_TOKEN on the command line', async () => {
    const run = runCli(['replay', '--port', '0', '--cassettes', join(tmpdir(), 'vcr-cli-never')], { APPWRITE_VCR_ADMIN_TOKEN: TOKEN });
    const [, url] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+)\/v1/);
    await expectForbidden(await fetch(`${url}/__vcr/reset`, { method: 'POST' }), /admin token/);
    expect((await fetch(`${url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin-token': TOKEN } })).status).toBe(204);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout() + run.stderr()).not.toContain(TOKEN);
  });
});

describe('cassette names that try to leave the folder', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ fallback: 'schema' });
  });
  afterAll(() => server.stop());

  it('refuses a NUL byte in X-Vcr-Cassette sent raw on the socket, and writes nothing', async () => {
    const reply = await rawRequest(
      server.port,
      'GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-appwrite-project: p\r\nx-vcr-cassette: ok\u0000../../x\r\n\r\n',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 400, type: 'general_bad_request', version: '1.5.0' });
    const encoded = await server.call('GET', '/health', { headers: { 'x-vcr-cassette': 'ok%00../../x' } });
    expect(encoded.status).toBe(400);
    expect(await encoded.json()).toMatchObject({ code: 400, type: 'general_argument_invalid' });
    expect(await readdir(server.cassettes)).toEqual([]);
    expect((await server.call('GET', '/health')).status).toBe(200);
  });

  it.each(['../outside', '/etc/passwd', 'a/../../b', 'nul\u0000byte', '..'])('refuses %j as the default cassette at start', async (name) => {
    await expect(startServer({ port: 0, cassette: name, cassettes: server.cassettes })).rejects.toMatchObject({ code: 'CASSETTE_NAME_INVALID' });
  });

  it('refuses a default cassette behind a link that leads out of the folder at start', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'vcr-outside-'));
    const folder = await mkdtemp(join(tmpdir(), 'vcr-linked-'));
    await symlink(outside, join(folder, 'escape'));
    await expect(startServer({ port: 0, cassette: 'escape/secret', cassettes: folder })).rejects.toThrow(/leads outside the cassettes folder through a link/);
    await rm(outside, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
  });
});
