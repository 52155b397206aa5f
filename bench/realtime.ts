/**
 * Realtime under load: the request path's throughput for document writes with no realtime connection,
 * with 1,000 connections subscribed to a channel the writes do not touch, and with 1,000 connections
 * subscribed to the written collection (every write fanned out to all of them), in one run; and the
 * events per second those 1,000 subscribers were delivered, each frame counted.
 * @note The subscribers run in the bench process, next to the load generator: on a 2-core machine the
 * three share the cores, so the figures are a floor, and the ratios are what to compare.
 */
import { WebSocket } from 'ws';
import type { Child } from './child.js';
import type { BenchRequest, LoadResult } from './load.js';

export const SUBSCRIBERS = 1_000;
const HEADERS = { 'x-appwrite-project': 'bench', 'x-appwrite-key': 'bench-key', 'content-type': 'application/json' };
export const WRITE_REQUESTS: BenchRequest[] = [
  {
    method: 'POST',
    path: '/v1/databases/rt-db/collections/feed/documents',
    headers: HEADERS,
    body: JSON.stringify({ documentId: 'unique()', data: { n: 1 } }),
  },
];

export interface RealtimeRun {
  load: LoadResult;
  /** Event frames the subscribers received. */
  delivered: number;
  /** Frames that were due: documents written × subscribers (0 when the subscribers listen elsewhere). */
  due: number;
  /** Frames per second, from the first frame to the last. */
  eventsPerSecond: number;
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/v1${path}`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

/** On a fresh stateful replay server: a public collection, `subscribers` connections on `channel`, then the write load. */
export async function realtimeRun(
  child: Child,
  subscribers: number,
  channel: string,
  run: (url: string, requests: BenchRequest[]) => Promise<LoadResult>,
): Promise<RealtimeRun> {
  await post(child.url, '/databases', { databaseId: 'rt-db', name: 'rt' });
  await post(child.url, '/databases/rt-db/collections', { collectionId: 'feed', name: 'Feed', permissions: ['read("any")'] });
  await post(child.url, '/databases/rt-db/collections/feed/attributes/integer', { key: 'n', required: false });
  const sockets: WebSocket[] = [];
  let delivered = 0;
  let first = 0;
  let last = 0;
  const url = `${child.url.replace(/^http/, 'ws')}/v1/realtime?project=bench&channels%5B%5D=${encodeURIComponent(channel)}`;
  await Promise.all(
    Array.from({ length: subscribers }, () => {
      const socket = new WebSocket(url);
      sockets.push(socket);
      return new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.once('message', () => {
          socket.on('message', () => {
            last = performance.now();
            if (delivered++ === 0) first = last;
          });
          resolve();
        });
      });
    }),
  );
  const load = await run(child.url, WRITE_REQUESTS);
  const listed = (await (
    await fetch(`${child.url}/v1/databases/rt-db/collections/feed/documents?queries%5B0%5D=${encodeURIComponent('{"method":"limit","values":[1]}')}`, {
      headers: HEADERS,
    })
  ).json()) as { total: number };
  const due = channel.includes('feed') ? listed.total * subscribers : 0;
  // Waits for the frames still on their way (each write's fan-out follows its answer), at most 60 s.
  const waitUntil = performance.now() + 60_000;
  while (delivered < due && performance.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const socket of sockets) socket.terminate();
  return { load, delivered, due, eventsPerSecond: delivered > 1 ? delivered / ((last - first) / 1000) : 0 };
}
