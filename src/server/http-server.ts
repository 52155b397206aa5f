import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { VcrError } from '../errors/vcr-error.js';
import { errorResponse } from '../model/error-response.js';
import type { Headers } from '../model/exchange.js';
import { ADMIN_TOKEN_HEADER, headerValue, type Engine, type EngineResult, type RawRequest } from '../engine/engine.js';
import { ADMIN_MARKER_HEADER, adminAccess } from './admin-access.js';
import { BodyTooLargeError, hasBody, NO_BODY, readBody } from './read-body.js';
import { endSocket, writeAnswer, writeError, writeResult } from './answer-writer.js';
import { applyCors, unknownOrigin } from './cors.js';

export interface ExchangeEvent {
  method: string;
  url: string;
  result: EngineResult;
  durationMs: number;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /** A request not received whole within this many milliseconds gets 408 and its connection closed. */
  requestTimeoutMs: number;
  /** Opens the `/__vcr/` routes to requests that present it; see `adminAccess`. */
  adminToken: string | null;
  /** Origins (or host names) whose writes are accepted without a key; empty accepts any. */
  origins?: readonly string[];
  /** Called after each answer; the library never prints. */
  onExchange?: (event: ExchangeEvent) => void;
  /** Called for failures of the tool itself (the client got a 500). */
  onError?: (error: unknown) => void;
  /** Routes under `/__vcr/` (admin), tried before the engine. */
  admin?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;
  /** Takes requests that ask for a connection upgrade (WebSocket); `false` when it has nothing at that path (404). Without it they are plain requests. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean | void;
}

/** The pipeline's handler on a socket: any engine works (replay or record). */
export type Handle = (raw: RawRequest) => EngineResult | Promise<EngineResult>;

export interface RunningHttpServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Sockets whose request was answered before its body arrived whole. */
const answeredEarly = new WeakSet<Duplex>();

/** Answers to what Node's parser refuses before a request exists, by error code; anything else is a 400. */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; message: (err: Error, timeoutMs: number) => string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: (_err, ms) => `The request did not arrive whole within ${ms} ms.` },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: () => 'The request headers are larger than the limit of 64 KiB.' },
};

export async function listen(engine: Engine, handle: Handle, options: HttpServerOptions): Promise<RunningHttpServer> {
  const timeout = options.requestTimeoutMs;
  const server = createServer(
    {
      requestTimeout: timeout,
      headersTimeout: Math.min(30_000, timeout),
      // @note Node looks for expired requests only this often, so a short timeout needs a short interval.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(timeout / 4))),
      maxHeaderSize: 64 * 1024,
    },
    (req, res) => onRequest(engine, handle, options, req, res),
  );
  server.keepAliveTimeout = 5_000;
  // `Expect: 100-continue`: a body declared over the limit is refused before the client is invited to send it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (!(Number.isFinite(declared) && declared > options.maxBodyBytes)) res.writeContinue();
    onRequest(engine, handle, options, req, res);
  });
  // Upgraded connections leave the HTTP server's bookkeeping but still hold `close` open: ended with it.
  const upgraded = new Set<Duplex>();
  const upgrade = options.upgrade;
  if (upgrade) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      if (upgrade(req, socket, head) === false) endSocket(socket, '404 Not Found', errorResponse('general_route_not_found', engine.spec.version));
    });
  }
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Its request already has its answer (a 413): a second one would only confuse the client.
    if (answeredEarly.has(socket)) return socket.destroy();
    const known = CLIENT_ERRORS[err.code ?? ''];
    const status = known?.status ?? 400;
    const message = known ? known.message(err, timeout) : `Malformed HTTP request: ${err.message}`;
    endSocket(socket, `${status} ${known?.reason ?? 'Bad Request'}`, errorResponse('general_bad_request', engine.spec.version, message, status));
  });
  // @note Without a listener Node drops a CONNECT request's socket with no answer at all.
  server.on('connect', (_req, socket: Duplex) => endSocket(socket, '404 Not Found', errorResponse('general_route_not_found', engine.spec.version)));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void =>
      reject(
        new VcrError(
          'SERVER_START_FAILED',
          `Failed to listen on ${options.host}:${options.port}: ${err.message}`,
          { host: options.host, port: options.port },
          { cause: err },
        ),
      );
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const socket of upgraded) socket.destroy();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}

/**
 * Every request: admin routes aside, the body (when there is one) is gathered, then the handler runs in
 * the same turn of the event loop as the body's end, and a synchronous answer goes out in that turn too.
 */
function onRequest(engine: Engine, handle: Handle, options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): void {
  inOrder(req.socket, res, () => serveRequest(engine, handle, options, req, res));
}

/** Per connection: the requests that arrived while an earlier one there is still being answered. */
const waiting = new WeakMap<Duplex, (() => void)[]>();

/**
 * Runs each connection's requests one after the other: a pipelined request (sent before the answer to
 * the one before it) starts only once that answer is out. Otherwise a fast answer (a cassette hit) could
 * be ended before a slow one (a body to read, a state write) and go out of order or be lost.
 */
function inOrder(socket: Duplex, res: ServerResponse, run: () => void): void {
  let queue = waiting.get(socket);
  let done = false;
  const next = (): void => {
    if (done) return;
    done = true;
    const following = queue?.shift();
    if (following) following();
    else waiting.delete(socket);
  };
  res.once('finish', next);
  res.once('close', next);
  if (queue) {
    queue.push(run);
    return;
  }
  queue = [];
  waiting.set(socket, queue);
  run();
}

function serveRequest(engine: Engine, handle: Handle, options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const url = req.url ?? '/';
  if (url.startsWith('/__vcr/')) {
    void serveAdmin(engine, handle, options, req, res, started);
    return;
  }
  // @note The admin routes above never carry CORS permission: a page on another origin must not reset or read them.
  applyCors(req, res);
  if (req.method === 'OPTIONS') {
    req.resume();
    writeAnswer(res, 204, {}, '');
    return;
  }
  const refusal = unknownOrigin(req.method ?? 'GET', req.headers as Headers, options.origins ?? []);
  if (refusal !== null) {
    req.resume();
    writeError(res, errorResponse('general_unknown_origin', engine.spec.version, refusal, 403));
    return;
  }
  if (!hasBody(req)) {
    req.resume();
    answer(engine, handle, options, req, res, NO_BODY, started);
    return;
  }
  readBody(req, options.maxBodyBytes).then(
    (body) => answer(engine, handle, options, req, res, body, started),
    (err: unknown) => refuseBody(engine, req, res, err),
  );
}

function answer(engine: Engine, handle: Handle, options: HttpServerOptions, req: IncomingMessage, res: ServerResponse, body: Buffer, started: number): void {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const fail = (err: unknown): void => failed(engine, options, res, err);
  try {
    const result = handle({ method, url, headers: req.headers as Headers, body });
    if (result instanceof Promise) result.then((r) => respond(options, res, method, url, r, started), fail);
    else respond(options, res, method, url, result, started);
  } catch (err) {
    fail(err);
  }
}

/** A body that could not be read: 413 when it is over the limit, the connection dropped when it broke off. */
function refuseBody(engine: Engine, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (!(err instanceof BodyTooLargeError)) {
    res.destroy();
    return;
  }
  // @note The rest of the body is read and dropped, not buffered, and the connection is left open:
  // closing it while bytes still arrive makes the kernel reset it, and the client may lose the 413.
  // The request timeout still ends a client that never stops sending.
  req.resume();
  answeredEarly.add(req.socket);
  writeError(res, errorResponse('general_argument_invalid', engine.spec.version, `Request body is larger than the limit of ${err.limit} bytes.`, 413));
}

function respond(options: HttpServerOptions, res: ServerResponse, method: string, url: string, result: EngineResult, started: number): void {
  writeResult(res, result);
  options.onExchange?.({ method, url, result, durationMs: performance.now() - started });
}

/** A failure of the tool itself: logged, and a 500 in Appwrite's shape when nothing was sent yet. */
function failed(engine: Engine, options: HttpServerOptions, res: ServerResponse, err: unknown): void {
  options.onError?.(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = err instanceof VcrError ? err.message : 'An internal server error occurred.';
  writeError(res, errorResponse('general_server_error', engine.spec.version, message, 500));
}

/** `/__vcr/` routes: only for those `adminAccess` lets in; a path the admin does not know goes to the engine. */
async function serveAdmin(
  engine: Engine,
  handle: Handle,
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  started: number,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req, options.maxBodyBytes);
  } catch (err) {
    refuseBody(engine, req, res, err);
    return;
  }
  try {
    const access = adminAccess({
      boundHost: options.host,
      remoteAddress: req.socket.remoteAddress,
      token: options.adminToken,
      presented: headerValue(req.headers[ADMIN_TOKEN_HEADER]),
      method: req.method ?? 'GET',
      host: req.headers.host,
      marker: headerValue(req.headers[ADMIN_MARKER_HEADER]),
    });
    if (!access.allowed) {
      writeError(res, errorResponse('general_access_forbidden', engine.spec.version, access.reason, 403));
      return;
    }
    if (options.admin && (await options.admin(req, res, body))) return;
  } catch (err) {
    failed(engine, options, res, err);
    return;
  }
  answer(engine, handle, options, req, res, body, started);
}
