import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { VcrError } from '../errors/vcr-error.js';
import { encodeBody } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { ADMIN_TOKEN_HEADER, headerValue, type Engine, type EngineResult, type RawRequest } from '../engine/engine.js';
import { ADMIN_MARKER_HEADER, adminAccess } from './admin-access.js';
import { BodyTooLargeError, hasBody, NO_BODY, readBody } from './read-body.js';
import { extendableCopy } from '../model/extendable-copy.js';
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
      if (upgrade(req, socket, head) === false) endRaw(socket, '404 Not Found', errorResponse('general_route_not_found', engine.spec.version));
    });
  }
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Its request already has its answer (a 413): a second one would only confuse the client.
    if (answeredEarly.has(socket)) return socket.destroy();
    const known = CLIENT_ERRORS[err.code ?? ''];
    const status = known?.status ?? 400;
    const message = known ? known.message(err, timeout) : `Malformed HTTP request: ${err.message}`;
    endRaw(socket, `${status} ${known?.reason ?? 'Bad Request'}`, errorResponse('general_bad_request', engine.spec.version, message, status));
  });
  // @note Without a listener Node drops a CONNECT request's socket with no answer at all.
  server.on('connect', (_req, socket: Duplex) => endRaw(socket, '404 Not Found', errorResponse('general_route_not_found', engine.spec.version)));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new VcrError('SERVER_START_FAILED', `Failed to listen on ${options.host}:${options.port}: ${err.message}`, { host: options.host, port: options.port }, { cause: err }));
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
    send(res, 204, {}, '');
    return;
  }
  const refusal = unknownOrigin(req.method ?? 'GET', req.headers as Headers, options.origins ?? []);
  if (refusal !== null) {
    req.resume();
    const response = errorResponse('general_unknown_origin', engine.spec.version, refusal, 403);
    send(res, response.status, extendableCopy(response.headers), encodeBody(response.body));
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
  const response = errorResponse('general_argument_invalid', engine.spec.version, `Request body is larger than the limit of ${err.limit} bytes.`, 413);
  send(res, response.status, response.headers, encodeBody(response.body));
}

/**
 * The complete response headers (`X-Vcr-*` and the length included) last sent with a recording's
 * answer, kept with its header object: replayed again with the same bytes, they are sent as they are.
 * Only frozen header objects (the engine freezes a recording's, shared by its replays) and bytes (an
 * encoded recording; generated answers are text made afresh) are kept.
 */
const prepared = new WeakMap<Headers, { source: EngineResult['source']; violations: number; bytes: Buffer; headers: Headers }>();

function respond(options: HttpServerOptions, res: ServerResponse, method: string, url: string, result: EngineResult, started: number): void {
  const { bytes, source } = result;
  const violations = result.findings.length;
  const shared = result.response.headers;
  const known = prepared.get(shared);
  if (known && known.bytes === bytes && known.source === source && known.violations === violations) {
    sendPrepared(res, result.response.status, known.headers, bytes);
  } else {
    const headers = withSource(shared, source, violations);
    send(res, result.response.status, headers, bytes);
    if (typeof bytes !== 'string' && Object.isFrozen(shared)) prepared.set(shared, { source, violations, bytes, headers });
  }
  options.onExchange?.({ method, url, result, durationMs: performance.now() - started });
}

/** A new header object: the answer's headers and what the tool adds to them. */
function withSource(headers: Headers, source: EngineResult['source'], violations: number): Headers {
  const out = Object.assign(extendableCopy(headers), sourceHeaders(source));
  if (violations > 0) out['x-vcr-violations'] = String(violations);
  return out;
}

/** A failure of the tool itself: logged, and a 500 in Appwrite's shape when nothing was sent yet. */
function failed(engine: Engine, options: HttpServerOptions, res: ServerResponse, err: unknown): void {
  options.onError?.(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = err instanceof VcrError ? err.message : 'An internal server error occurred.';
  const response = errorResponse('general_server_error', engine.spec.version, message, 500);
  send(res, 500, extendableCopy(response.headers), encodeBody(response.body));
}

/** `/__vcr/` routes: only for those `adminAccess` lets in; a path the admin does not know goes to the engine. */
async function serveAdmin(engine: Engine, handle: Handle, options: HttpServerOptions, req: IncomingMessage, res: ServerResponse, started: number): Promise<void> {
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
      const response = errorResponse('general_access_forbidden', engine.spec.version, access.reason, 403);
      send(res, response.status, response.headers, encodeBody(response.body));
      return;
    }
    if (options.admin && (await options.admin(req, res, body))) return;
  } catch (err) {
    failed(engine, options, res, err);
    return;
  }
  answer(engine, handle, options, req, res, body, started);
}

/** An answer written straight to a socket that has no response object (parser errors, CONNECT), then closed. */
function endRaw(socket: Duplex, statusLine: string, response: VcrResponse): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const bytes = encodeBody(response.body);
  socket.end(`HTTP/1.1 ${statusLine}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\nconnection: close\r\n\r\n${bytes.toString()}`);
}

/** `X-Vcr-Source` says cassette or fallback (upstream when recording); `X-Vcr-Fallback` says which fallback answered. */
function sourceHeaders(source: EngineResult['source']): Headers {
  switch (source) {
    case 'cassette':
    case 'upstream':
      return { 'x-vcr-source': source };
    case 'state':
      return { 'x-vcr-source': 'fallback', 'x-vcr-fallback': 'state' };
    case 'fallback':
      return { 'x-vcr-source': 'fallback', 'x-vcr-fallback': 'schema' };
    default:
      return { 'x-vcr-source': 'fallback', 'x-vcr-fallback': 'error' };
  }
}

/** `headers` is a fresh object made for this answer: its length is added to it. */
function send(res: ServerResponse, status: number, headers: Headers, bytes: Buffer | string): void {
  headers['content-length'] = String(typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length);
  sendPrepared(res, status, headers, bytes);
}

/** `headers` are complete, length included, and may be shared between answers: Node only reads them. */
function sendPrepared(res: ServerResponse, status: number, headers: Headers, bytes: Buffer | string): void {
  if (res.destroyed) return;
  try {
    res.writeHead(status, headers);
  } catch {
    // A recorded header that is not valid on the wire any more is dropped, not fatal.
    for (const [name, value] of Object.entries(headers)) {
      try {
        res.setHeader(name, value);
      } catch {
        res.removeHeader(name);
      }
    }
    res.writeHead(status);
  }
  res.end(bytes);
}
