import { WebSocket } from 'ws';

export interface Frame {
  type: string;
  data: Record<string, unknown>;
}

export interface RealtimeClient {
  socket: WebSocket;
  /** Every frame received so far, in order. */
  frames: Frame[];
  /** The next frame not yet taken, waiting for it if need be. */
  next(): Promise<Frame>;
  /** Resolves once `count` frames have arrived in all. */
  received(count: number): Promise<Frame[]>;
  /** How the server closed the connection. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  close(): Promise<void>;
}

/** A Node WebSocket client of `/v1/realtime`: `channels` as the web SDK sends them (`channels[]=...`), open when it resolves. */
export async function connectRealtime(
  endpoint: string,
  query: { project?: string; channels?: readonly string[]; raw?: string },
  headers: Record<string, string> = {},
): Promise<RealtimeClient> {
  const search = new URLSearchParams();
  if (query.project !== undefined) search.set('project', query.project);
  for (const channel of query.channels ?? []) search.append('channels[]', channel);
  const url = `${endpoint.replace(/^http/, 'ws')}/realtime?${query.raw ?? search.toString()}`;
  const socket = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const arrived = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (frames.length >= count) resolve();
        else if (socket.readyState === WebSocket.CLOSED)
          reject(new Error(`The connection closed after ${frames.length} frames; ${count} were expected: ${JSON.stringify(frames)}`));
        else waiters.push(check);
      };
      socket.once('close', () => {
        for (const wake of waiters.splice(0)) wake();
      });
      check();
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    async next() {
      await arrived(taken + 1);
      return frames[taken++] as Frame;
    },
    async received(count) {
      await arrived(count);
      taken = Math.max(taken, count);
      return frames.slice(0, count);
    },
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) {
        socket.close();
        await closed;
      }
    },
  };
}
