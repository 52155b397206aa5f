import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from './support/server.js';

const SUBSCRIBERS = 1_000;
const WRITES = 50;

describe('realtime with 1,000 subscribers', () => {
  let server: TestServer;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    await server.call('POST', '/databases', { body: { databaseId: 'db', name: 'db' } });
    await server.call('POST', '/databases/db/collections', { body: { collectionId: 'feed', name: 'Feed', permissions: ['read("any")'] } });
    await server.call('POST', '/databases/db/collections/feed/attributes/integer', { body: { key: 'n', required: false } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  });

  it('delivers every event of a burst of concurrent writes to every subscriber, each in the same order', async () => {
    const received: string[][] = [];
    const url = `${server.endpoint.replace(/^http/, 'ws')}/realtime?project=test-project&channels%5B%5D=databases.db.collections.feed.documents`;
    let connected = 0;
    let delivered = 0;
    let allIn: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allIn = resolve));
    await Promise.all(
      Array.from({ length: SUBSCRIBERS }, (_, index) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        received[index] = [];
        return new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.on('message', (data) => {
            const frame = JSON.parse(String(data)) as { type: string; data: { payload: { $id: string } } };
            if (frame.type === 'connected') {
              connected++;
              resolve();
              return;
            }
            received[index]?.push(frame.data.payload.$id);
            if (++delivered === SUBSCRIBERS * WRITES) allIn();
          });
        });
      }),
    );
    expect(connected).toBe(SUBSCRIBERS);
    expect(server.realtimeConnections()).toBe(SUBSCRIBERS);
    const answers = await Promise.all(
      Array.from({ length: WRITES }, (_, n) => server.call('POST', '/databases/db/collections/feed/documents', { body: { documentId: `d${n}`, data: { n } } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array<number>(WRITES).fill(201));
    await done;
    expect(delivered).toBe(SUBSCRIBERS * WRITES);
    // Concurrent writes have no order among themselves, but every subscriber sees them in the one order they were applied.
    const first = received[0] as string[];
    expect(new Set(first).size).toBe(WRITES);
    for (const ids of received) expect(ids).toEqual(first);
    // Every closed connection is let go.
    for (const socket of sockets) socket.close();
    while (server.realtimeConnections() > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(server.realtimeConnections()).toBe(0);
  });
});
