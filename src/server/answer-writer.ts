import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeBody } from '../model/body.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { extendableCopy } from '../model/extendable-copy.js';
import type { EngineResult, Source } from '../engine/pipeline.js';

/**
 * Every answer the server sends goes out here: pipeline results, the tool's own errors, admin routes,
 * and answers written to a bare socket. Headers that depend on the request (CORS echoing `Origin`)
 * are set on the response before (`res.setHeader`, see cors.ts): Node merges them with what is written
 * here, so the prepared headers of a recording can be shared by every request that replays it.
 */

/**
 * The complete response headers (`X-Vcr-*` and the length included) last sent with a recording's
 * answer, kept with its header object: replayed again with the same bytes, they are sent as they are.
 * Only frozen header objects (the engine freezes a recording's, shared by its replays) and bytes (an
 * encoded recording; generated answers are text made afresh) are kept.
 */
const prepared = new WeakMap<Headers, { source: Source; violations: number; bytes: Buffer; headers: Headers }>();

/** A pipeline's result, with the `X-Vcr-*` headers that say where it came from. */
export function writeResult(res: ServerResponse, result: EngineResult): void {
  const { bytes, source } = result;
  const violations = result.findings.length;
  const shared = result.response.headers;
  const known = prepared.get(shared);
  if (known && known.bytes === bytes && known.source === source && known.violations === violations) {
    writePrepared(res, result.response.status, known.headers, bytes);
    return;
  }
  const headers = Object.assign(extendableCopy(shared), sourceHeaders(source));
  if (violations > 0) headers['x-vcr-violations'] = String(violations);
  writeAnswer(res, result.response.status, headers, bytes);
  if (typeof bytes !== 'string' && Object.isFrozen(shared)) prepared.set(shared, { source, violations, bytes, headers });
}

/** An answer in Appwrite's shape made by the server itself (413, 403, 500...), marked as the tool's. */
export function writeError(res: ServerResponse, response: VcrResponse): void {
  writeAnswer(res, response.status, Object.assign(extendableCopy(response.headers), sourceHeaders('error')), encodeBody(response.body));
}

/** A JSON answer of an admin route: never cached by a browser or a proxy. */
export function writeJson(res: ServerResponse, status: number, bytes: Buffer): void {
  writeAnswer(res, status, { 'content-type': 'application/json', 'cache-control': 'no-store' }, bytes);
}

/** `headers` is a fresh object made for this answer: its length is added to it. */
export function writeAnswer(res: ServerResponse, status: number, headers: Headers, bytes: Buffer | string): void {
  headers['content-length'] = String(typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length);
  writePrepared(res, status, headers, bytes);
}

/** `headers` are complete, length included, and may be shared between answers: Node only reads them. */
function writePrepared(res: ServerResponse, status: number, headers: Headers, bytes: Buffer | string): void {
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

/** An answer written straight to a socket that has no response object (parser errors, CONNECT, upgrades), then closed. */
export function endSocket(socket: Duplex, statusLine: string, response: VcrResponse): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const bytes = encodeBody(response.body);
  socket.end(
    `HTTP/1.1 ${statusLine}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\nx-vcr-source: error\r\nconnection: close\r\n\r\n${bytes.toString()}`,
  );
}

/** `X-Vcr-Source` says cassette, fallback, upstream (recording) or error; `X-Vcr-Fallback` says which fallback answered. */
function sourceHeaders(source: Source): Headers {
  switch (source) {
    case 'cassette':
    case 'upstream':
      return { 'x-vcr-source': source };
    case 'state':
      return { 'x-vcr-source': 'fallback', 'x-vcr-fallback': 'state' };
    case 'schema':
      return { 'x-vcr-source': 'fallback', 'x-vcr-fallback': 'schema' };
    default:
      // The tool's own answer (a refusal, a miss, a failure): no fallback answered it.
      return { 'x-vcr-source': 'error' };
  }
}
