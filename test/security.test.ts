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
  it.each([
    ['a loopback peer of a loopback bind, no token', { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: null, presented: undefined }, true],
    ['an IPv6 loopback peer of localhost', { boundHost: 'localhost', remoteAddress: '::1', token: null, presented: undefined }, true],
    ['an IPv4-mapped loopback peer', { boundHost: '127.0.0.1', remoteAddress: '::ffff:127.0.0.1', token: null, presented: undefined }, true],
    ['another machine, no token', { boundHost: '127.0.0.1', remoteAddress: '192.168.1.20', token: null, presented: undefined }, false],
    ['a look-alike address', { boundHost: '127.0.0.1', remoteAddress: '127.0.0.1.evil', token: null, presented: undefined }, false],
    ['a loopback peer of a 0.0.0.0 bind without a token (a port forward looks local)', { boundHost: '0.0.0.0', remoteAddress: loopbackPeer, token: null, presented: undefined }, false],
    ['a loopback peer of a :: bind without a token', { boundHost: '::', remoteAddress: '::1', token: null, presented: undefined }, false],
    ['a LAN bind without a token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: null, presented: undefined }, false],
    ['a LAN bind with the right token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: TOKEN, presented: TOKEN }, true],
    ['a LAN bind with a wrong token', { boundHost: '192.168.1.10', remoteAddress: '192.168.1.20', token: TOKEN, presented: `${TOKEN}x` }, false],
    ['a LAN bind with an empty token', { boundHost: '0.0.0.0', remoteAddress: '10.0.0.2', token: TOKEN, presented: '' }, false],
    ['a loopback peer without the token once one is set', { boundHost: '127.0.0.1', remoteAddress: loopbackPeer, token: TOKEN, presented: undefined }, false],
  ])('%s: allowed is %s', (_name, input, allowed) => {
    expect(adminAccess(input).allowed).toBe(allowed);
  });

  describe('over HTTP, with a token', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ adminToken: TOKEN });
    });
    afterAll(() => server.stop());

    it('refuses the reset route without the token, or with a wrong one, in Appwrite\'s error shape', async () => {
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
    expect(run.stderr()).toMatch(/warning binding 192\.0\.2\.1: anyone who can reach this address can use the server; the \/__vcr\/ admin routes stay off without --admin-token/);
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
    const reply = await rawRequest(server.port, 'GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-appwrite-project: p\r\nx-vcr-cassette: ok\u0000../../x\r\n\r\n');
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
