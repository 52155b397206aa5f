import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage } from 'node:http';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCassette } from '../src/cassette/cassette-format.js';
import { startRecorder } from '../src/index.js';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An upstream that accepts a WebSocket handshake on any path and echoes every byte back, upper-cased. */
const upgrades: { url: string; headers: IncomingMessage['headers'] }[] = [];
const upstreamSockets = new Set<Socket>();
const upstream = createServer((_req, res) => res.writeHead(404).end());
upstream.on('upgrade', (req: IncomingMessage, socket: Socket) => {
  upgrades.push({ url: req.url ?? '', headers: req.headers });
  upstreamSockets.add(socket);
  socket.once('close', () => upstreamSockets.delete(socket));
  // As a WebSocket server does, a peer that ends its side is answered with the end of this one.
  socket.once('end', () => socket.end());
  const accept = createHash('sha1')
    .update(`${req.headers['sec-websocket-key'] as string}${WS_GUID}`)
    .digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
  socket.on('data', (chunk: Buffer) => socket.write(chunk.toString('latin1').toUpperCase()));
});
let endpoint = '';
let folder = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  folder = await mkdtemp(join(tmpdir(), 'vcr-realtime-'));
});
afterAll(async () => {
  for (const socket of upstreamSockets) socket.destroy();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await rm(folder, { recursive: true, force: true });
});

/** Opens a WebSocket-style upgrade to `url` and resolves with the status and, on 101, the socket. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; socket?: Socket; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, socket, body: '' }));
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves once `done()` holds, checking on each turn of the event loop. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

function nextData(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
}

describe('record passes connection upgrades (Appwrite Realtime) through to the upstream', () => {
  it('relays the handshake and the bytes both ways, without the cassette header, and records nothing', async () => {
    const cassettes = join(folder, 'relay');
    const recorder = await startRecorder({ upstream: endpoint, port: 0, cassettes });
    try {
      const opened = await upgrade(`${recorder.endpoint}/realtime?project=vcr-test&channels%5B%5D=account`, { 'x-vcr-cassette': 'live' });
      expect(opened.status).toBe(101);
      const socket = opened.socket as Socket;
      const echoed = nextData(socket);
      socket.write('hello realtime');
      expect(await echoed).toBe('HELLO REALTIME');
      socket.destroy();
      expect(upgrades.at(-1)?.url).toBe('/v1/realtime?project=vcr-test&channels%5B%5D=account');
      expect(upgrades.at(-1)?.headers['x-vcr-cassette']).toBeUndefined();
      // The upstream side went with the client's.
      await until(() => upstreamSockets.size === 0);
      // Plain requests are still recorded next to upgrades: the upstream answers this one 404.
      expect((await fetch(`${recorder.endpoint}/health`, { headers: { 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': 'k' } })).status).toBe(404);
    } finally {
      await recorder.close();
    }
    const stored = parseCassette(await readFile(join(cassettes, 'default.json'), 'utf8'), 'default.json');
    expect(stored.interactions.map((i) => `${i.request.method} ${i.request.path} ${i.response.status}`)).toEqual(['GET /v1/health 404']);
    expect(await readdir(cassettes)).toEqual(['default.json']);
  });

  it("answers 502 in Appwrite's shape when the upstream refuses the upgrade connection", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const recorder = await startRecorder({ upstream: `http://127.0.0.1:${port}/v1`, port: 0, cassettes: join(folder, 'refused') });
    try {
      const refused = await upgrade(`${recorder.endpoint}/realtime?project=vcr-test`);
      expect(refused.status).toBe(502);
      expect(JSON.parse(refused.body)).toMatchObject({
        code: 502,
        type: 'general_server_error',
        version: '1.5.0',
        message: expect.stringMatching(/^Failed to forward to "http:\/\/127\.0\.0\.1:\d+\/v1": .*ECONNREFUSED/) as unknown,
      });
    } finally {
      await recorder.close();
    }
  });

  it('closes open upgraded connections when the recorder stops', async () => {
    const recorder = await startRecorder({ upstream: endpoint, port: 0, cassettes: join(folder, 'close') });
    const opened = await upgrade(`${recorder.endpoint}/realtime?project=vcr-test`);
    expect(opened.status).toBe(101);
    const socket = opened.socket as Socket;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(upstreamSockets.size).toBe(1);
    await recorder.close();
    await closed;
    expect(socket.destroyed).toBe(true);
    await until(() => upstreamSockets.size === 0);
  });
});
