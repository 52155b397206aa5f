import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Sends `text` in one write and reads until the server closes the connection. */
function exchange(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

const HEAD = 'host: 127.0.0.1\r\nx-appwrite-project: p\r\nx-appwrite-key: k\r\n';

describe('pipelined requests', () => {
  it('answers the requests of one connection in the order they were sent: a POST with a body, then GETs, in one write', async () => {
    const body = JSON.stringify({ userId: 'piped', email: 'piped@example.com' });
    const out = await exchange(
      `POST /v1/users HTTP/1.1\r\n${HEAD}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}` +
        `GET /v1/users/piped HTTP/1.1\r\n${HEAD}\r\n` +
        `GET /v1/health HTTP/1.1\r\n${HEAD}connection: close\r\n\r\n`,
    );
    // Answers follow each other on the wire: each starts right after the previous body.
    const statuses = [...out.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['201', '200', '200']);
    const bodies = out
      .split(/HTTP\/1\.1 \d{3} /)
      .slice(1)
      .map((part) => part.slice(part.indexOf('\r\n\r\n') + 4));
    expect(bodies[0]).toContain('"$id":"piped"');
    expect(bodies[1]).toContain('"email":"piped@example.com"');
    expect(bodies[2]).toContain('"status":"pass"');
  });
});

/** Sends `text` and resolves with what arrived once `done` says it is enough (or the server closed). */
function firstAnswer(text: string, done: (out: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
      if (done(out)) socket.destroy();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('HEAD and Expect: 100-continue', () => {
  it('answers HEAD on a GET route as the GET, without a body (utopia routes HEAD to GET)', async () => {
    const get = await server.call('GET', '/health');
    const length = (await get.arrayBuffer()).byteLength;
    const out = await exchange(`HEAD /v1/health HTTP/1.1\r\n${HEAD}connection: close\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out).toMatch(new RegExp(`content-length: ${length}\\r\\n`, 'i'));
    expect(out.endsWith('\r\n\r\n')).toBe(true);
  });

  it('refuses a body declared over --max-body with 413 without sending 100 Continue first, and invites a body within it', async () => {
    const big = 200 * 1024 * 1024;
    const refused = await firstAnswer(
      `POST /v1/users HTTP/1.1\r\n${HEAD}content-type: application/json\r\ncontent-length: ${big}\r\nexpect: 100-continue\r\n\r\n`,
      (out) => out.includes('\r\n\r\n'),
    );
    expect(refused).toMatch(/^HTTP\/1\.1 413 /);
    expect(refused).not.toContain('100 Continue');
    const invited = await firstAnswer(
      `POST /v1/users HTTP/1.1\r\n${HEAD}content-type: application/json\r\ncontent-length: 2\r\nexpect: 100-continue\r\n\r\n`,
      (out) => out.includes('\r\n\r\n'),
    );
    expect(invited).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
  });
});
