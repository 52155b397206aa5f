import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { SessionResolver } from '../auth/caller.js';
import { decodeSession, readCredentials } from '../auth/credentials.js';
import type { Headers } from '../model/exchange.js';
import { parseQuery } from '../match/parse-query.js';
import { GUEST_ROLES, mayRead } from './audience.js';
import { convertChannels, requestedChannels } from './channels.js';
import { authenticatedFrame, connectedFrame, errorFrame, eventFrame, eventTimestamp, REALTIME_CODES } from './frames.js';
import { buildEvent, type ContainerLookup, type RealtimeEvent, type Write } from './realtime-event.js';
import { RecentModels } from './recent-models.js';
import { lazyRequire } from '../model/lazy-require.js';

const wsModule = lazyRequire<typeof import('ws')>('ws');

/** What realtime reads about who is connecting and who may read what; the stateful fallback is one. */
export interface RealtimeDirectory {
  sessions: SessionResolver;
  /** A user as `GET /account` answers it (the `user` of `connected`), with the roles the user holds; null when unknown. */
  user(userId: string): { account: Readonly<Record<string, unknown>>; roles: ReadonlySet<string> } | null;
  container: ContainerLookup;
}

export interface RealtimeOptions {
  directory: RealtimeDirectory;
  /** Appwrite's refusal of the upgrade's origin (the message), or null when it may connect; default: every origin may. */
  refuseOrigin?: (headers: Headers) => string | null;
}

export interface Realtime {
  /** Takes an upgrade to the realtime path: the handshake always succeeds, problems come as error frames (as Appwrite's). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Publishes the events of writes, in order, once the current turn's answers are written. */
  publish(writes: readonly Write[]): void;
  /** Open connections. */
  readonly size: number;
  /** Closes every connection (code 1001, going away). */
  close(): void;
}

/** One (roles × channels) subscription; `authentication` adds one, and never takes the older ones back (Appwrite's tree keeps them). */
interface Grant {
  roles: Set<string>;
  channels: string[];
}

interface Connection {
  socket: WebSocket;
  /** The TCP socket under it, corked while a batch of frames is written to it. */
  raw: Duplex;
  project: string;
  userId: string | null;
  /** The channels asked for, before conversion: `authentication` converts them again for its user. */
  asked: string[];
  grants: Grant[];
}

/** Incoming frames larger than this are refused (Appwrite: `setPackageMaxLength(64000)`). */
const MAX_MESSAGE_BYTES = 64_000;

/**
 * Appwrite 1.5's realtime server (app/realtime.php) for replay: connections to `/v1/realtime`, their
 * users from the upgrade's session, the `authentication` message, and delivery of the events of the
 * run's writes to the connections subscribed to one of their channels whose roles may read them.
 * The `ws` package does the WebSocket protocol.
 */
export function createRealtime(options: RealtimeOptions): Realtime {
  const { directory } = options;
  // Made on the first upgrade: most runs never open a realtime connection.
  let server: WebSocketServer | null = null;
  const wsServer = (): WebSocketServer =>
    (server ??= new (wsModule().WebSocketServer)({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false }));
  const connections = new Set<Connection>();
  /** Connections by a channel one of their grants holds: an event looks only at those of its channels. */
  const byChannel = new Map<string, Set<Connection>>();
  const recent = new RecentModels();
  let queue: RealtimeEvent[] = [];
  let flushing: NodeJS.Immediate | null = null;

  const userOf = (userId: string | null): { account: Readonly<Record<string, unknown>>; roles: Set<string> } | null => {
    const found = userId === null ? null : directory.user(userId);
    if (!found) return null;
    return { account: found.account, roles: new Set(found.roles) };
  };

  const grant = (connection: Connection, roles: Set<string>, channels: string[]): void => {
    connection.grants.push({ roles, channels });
    for (const channel of channels) {
      let set = byChannel.get(channel);
      if (!set) byChannel.set(channel, (set = new Set()));
      set.add(connection);
    }
  };

  const forget = (connection: Connection): void => {
    if (!connections.delete(connection)) return;
    for (const { channels } of connection.grants) {
      for (const channel of channels) {
        const set = byChannel.get(channel);
        set?.delete(connection);
        if (set?.size === 0) byChannel.delete(channel);
      }
    }
  };

  const refuse = (socket: WebSocket, code: number, message: string): void => {
    socket.send(errorFrame(code, message));
    socket.close(REALTIME_CODES.policyViolation, message.slice(0, 120));
  };

  const open = (socket: WebSocket, req: IncomingMessage, raw: Duplex): void => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
    const credentials = readCredentials(req.headers as Headers, query);
    // @note Appwrite takes a missing project for its console; replay serves only projects, so it refuses it as unknown.
    if (credentials.project === '' || credentials.project === 'console') return refuse(socket, REALTIME_CODES.policyViolation, 'Missing or unknown project ID');
    const badOrigin = options.refuseOrigin?.(req.headers as Headers) ?? null;
    if (badOrigin) return refuse(socket, REALTIME_CODES.policyViolation, badOrigin);
    let userId: string | null = null;
    if (credentials.jwt !== '') {
      const hit = directory.sessions.jwt(credentials.jwt);
      if (hit !== null && 'invalid' in hit) return refuse(socket, 401, `Failed to verify JWT. ${hit.invalid}`);
      // A well-signed JWT whose session is gone makes a guest (app/init.php:1207-1213 at 1.5.0).
      userId = hit === null ? null : hit.userId;
    } else if (credentials.session) {
      userId = directory.sessions.session(credentials.session.userId, credentials.session.secret)?.userId ?? null;
    }
    const user = userOf(userId);
    const asked = requestedChannels(query);
    const channels = convertChannels(asked, user ? userId : null);
    if (channels.length === 0) return refuse(socket, REALTIME_CODES.policyViolation, 'Missing channels');
    const connection: Connection = { socket, raw, project: credentials.project, userId: user ? userId : null, asked, grants: [] };
    connections.add(connection);
    grant(connection, user ? user.roles : new Set(GUEST_ROLES), channels);
    socket.on('close', () => forget(connection));
    socket.on('error', () => forget(connection));
    socket.on('message', (data: RawData, binary: boolean) => onMessage(connection, data, binary));
    socket.send(connectedFrame(channels, user ? user.account : null));
  };

  const onMessage = (connection: Connection, data: RawData, binary: boolean): void => {
    const invalid = (message: string): void => connection.socket.send(errorFrame(REALTIME_CODES.messageFormatInvalid, message));
    let message: unknown;
    try {
      message = JSON.parse(binary ? Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]).toString('utf8') : String(data as Buffer));
    } catch {
      return invalid('Message format is not valid.');
    }
    // @note A JSON scalar makes PHP throw a TypeError with a code 0 frame; replay gives it the format error instead.
    if (message === null || typeof message !== 'object' || (!Object.hasOwn(message, 'type') && !Object.hasOwn(message, 'data')))
      return invalid('Message format is not valid.');
    const { type, data: body } = message as { type?: unknown; data?: unknown };
    if (type !== 'authentication') return invalid('Message type is not valid.');
    if (body === null || typeof body !== 'object' || !Object.hasOwn(body, 'session')) return invalid('Payload is not valid.');
    const session = decodeSession(String((body as { session: unknown }).session));
    const hit = session ? directory.sessions.session(session.userId, session.secret) : null;
    const user = hit ? userOf(hit.userId) : null;
    if (!hit || !user) return invalid('Session is not valid.');
    connection.userId = hit.userId;
    grant(connection, user.roles, convertChannels(connection.asked, hit.userId));
    connection.socket.send(authenticatedFrame(user.account));
  };

  /** Adds the event's frame to the batch of each connection that may receive it. */
  const deliver = (event: RealtimeEvent, batches: Map<Connection, Buffer[]>): void => {
    if (event.refreshUser !== null) {
      const user = userOf(event.refreshUser);
      if (user)
        for (const connection of connections)
          if (connection.userId === event.refreshUser) grant(connection, user.roles, connection.grants.at(-1)?.channels ?? []);
    }
    const receivers = new Set<Connection>();
    for (const channel of event.channels) {
      const subscribed = byChannel.get(channel);
      if (!subscribed) continue;
      for (const connection of subscribed) {
        if (receivers.has(connection) || (event.project !== '' && connection.project !== event.project)) continue;
        if (connection.grants.some((g) => g.channels.includes(channel) && mayRead(g.roles, event.roles))) receivers.add(connection);
      }
    }
    if (receivers.size === 0) return;
    // Encoded once: every receiver gets the same bytes.
    const bytes = Buffer.from(eventFrame(event.events, event.channels, eventTimestamp(), event.payload));
    for (const connection of receivers) {
      const batch = batches.get(connection);
      if (batch) batch.push(bytes);
      else batches.set(connection, [bytes]);
    }
  };

  const flush = (): void => {
    flushing = null;
    const events = queue;
    queue = [];
    const batches = new Map<Connection, Buffer[]>();
    for (const event of events) deliver(event, batches);
    // @note One write a connection for all the frames of a turn (the socket corked around them), not one per frame.
    for (const [connection, frames] of batches) {
      connection.raw.cork();
      for (const frame of frames) connection.socket.send(frame, { binary: false });
      connection.raw.uncork();
    }
  };

  return {
    handleUpgrade(req, socket, head) {
      wsServer().handleUpgrade(req, socket, head, (ws) => open(ws, req, socket));
    },
    publish(writes) {
      // With no connection open, the events are not made at all (most replays), only remembered from.
      const listened = connections.size > 0;
      for (const write of writes) {
        const event = buildEvent(write, directory.container, recent, listened);
        if (!event) continue;
        queue.push(event);
      }
      // @note After this turn: the HTTP answer of the write goes out first, as Appwrite's shutdown hook publishes after the response.
      if (queue.length > 0 && !flushing) flushing = setImmediate(flush);
    },
    get size() {
      return connections.size;
    },
    close() {
      if (flushing) clearImmediate(flushing);
      flushing = null;
      queue = [];
      for (const connection of [...connections]) {
        connection.socket.close(1001);
        forget(connection);
      }
      server?.close();
    },
  };
}
