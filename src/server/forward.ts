import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { ADMIN_TOKEN_HEADER, CASSETTE_HEADER, type RawRequest } from '../engine/engine.js';
import type { Forward, UpstreamAnswer, UpstreamFailure } from '../engine/recorder.js';
import type { Headers } from '../model/exchange.js';

export interface ForwarderOptions {
  /** The upstream API URL, including its base path (e.g. `https://appwrite.example.com/v1`). */
  upstream: string;
  /** The base path requests arrive under (the spec's, `/v1`); it is replaced by the upstream's path. */
  basePath: string;
  /** Accept an untrusted TLS certificate. */
  insecure: boolean;
  /** Milliseconds until the whole answer must have arrived. */
  timeoutMs: number;
  /** The most bytes of an answer kept, as received and once decoded; a larger one is a `too-large` failure. */
  maxAnswerBytes: number;
}

export interface Forwarder {
  forward: Forward;
  /** Maps a path under the local base path to the upstream's (`/v1/x` → `/api/v1/x`). */
  upstreamPath(url: string): string;
  close(): void;
}

/**
 * Request headers that belong to one connection, never passed on; `expect` too: the body is already
 * here. `host` is the upstream's own, set by the client. This tool's own headers stay here.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'expect',
  'content-length',
  CASSETTE_HEADER,
  ADMIN_TOKEN_HEADER,
]);

type Decoder = (bytes: Buffer, options: ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(gunzip) as Decoder;
const inflateAsync = promisify(inflate) as Decoder;
const inflateRawAsync = promisify(inflateRaw) as Decoder;
const decoders: Record<string, Decoder> = {
  gzip: gunzipAsync,
  'x-gzip': gunzipAsync,
  br: promisify(brotliDecompress) as Decoder,
  // @note "deflate" is zlib-wrapped by the standard, raw deflate by some servers: try both.
  deflate: (bytes, options) =>
    inflateAsync(bytes, options).catch((err: NodeJS.ErrnoException) => (err.code === TOO_LARGE ? Promise.reject(err) : inflateRawAsync(bytes, options))),
};

/** What zlib throws when `maxOutputLength` is passed. */
const TOO_LARGE = 'ERR_BUFFER_TOO_LARGE';

/**
 * Sends buffered requests to the upstream over kept-alive connections and captures the whole answer:
 * the bytes as received for the client, decoded bytes for the cassette. Never rejects: refused, reset
 * and timed-out exchanges come back as an `UpstreamFailure`.
 *
 * @note Record has the whole request before it forwards (it validates and redacts it), so this is a
 * plain client call with the body in the same write as the headers, not a streaming proxy; measured
 * against http-proxy's streaming pass, it halves the CPU a forwarded request costs (docs/decisions/0004).
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const upstream = new URL(options.upstream);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const secure = upstream.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: !options.insecure }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;
  const hostname = upstream.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = upstream.port === '' ? undefined : Number(upstream.port);

  function upstreamPath(url: string): string {
    const base = options.basePath;
    if (base !== '' && (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) return `${basePath}${url.slice(base.length)}`;
    return url;
  }

  const forward: Forward = (raw: RawRequest) =>
    new Promise((resolve) => {
      const headers: OutgoingHttpHeaders = {};
      for (const name in raw.headers) {
        const value = raw.headers[name];
        if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
      }
      if (raw.body.length > 0 || (raw.method !== 'GET' && raw.method !== 'HEAD')) headers['content-length'] = raw.body.length;
      let settled = false;
      let req: ClientRequest | null = null;
      const settle = (result: UpstreamAnswer | UpstreamFailure): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        settle({ failure: 'timeout', message: `no answer within ${options.timeoutMs} ms` });
        req?.destroy();
      }, options.timeoutMs);
      const attempt = (retried: boolean): void => {
        let answered = false;
        const sent = send({ hostname, port, method: raw.method, path: upstreamPath(raw.url), headers, agent }, (res) => {
          answered = true;
          collect(res, settle, options.maxAnswerBytes);
        });
        req = sent;
        sent.once('error', (err) => {
          // A kept-alive connection the upstream closed while idle fails on first use, before any answer:
          // the request never reached it, so it is sent once more on a fresh connection.
          if (!answered && !retried && !settled && sent.reusedSocket && STALE_SOCKET.has((err as NodeJS.ErrnoException).code ?? '')) attempt(true);
          else settle(failure(classify(err), err));
        });
        sent.end(raw.body.length > 0 ? raw.body : undefined);
      };
      attempt(false);
    });

  return {
    forward,
    upstreamPath,
    close() {
      agent.destroy();
    },
  };
}

/**
 * Gathers an answer, at most `max` bytes as received and `max` once decoded: past that the upstream
 * connection is dropped and the exchange is a `too-large` failure, so that memory stays bounded
 * whatever the upstream sends (a huge body, a compression bomb) and nothing partial is stored.
 */
function collect(res: IncomingMessage, settle: (result: UpstreamAnswer | UpstreamFailure) => void, max: number): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (what: string): void =>
    settle({ failure: 'too-large', message: `its answer is larger than the limit of ${max} bytes ${what} (--max-body)` });
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= max) {
      chunks.push(chunk);
      return;
    }
    chunks.length = 0;
    tooLarge('as sent');
    res.destroy();
  });
  res.once('error', (err) => settle(failure('reset', err)));
  res.once('aborted', () => settle(failure('reset', new Error('the upstream closed the connection mid-answer'))));
  res.once('end', () => {
    const wire = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const status = res.statusCode ?? 502;
    const headers = res.headers as Headers;
    const encoding = res.headers['content-encoding'];
    if (!encoding || wire.length === 0) {
      settle({ status, headers, wire, decoded: wire });
      return;
    }
    decode(wire, encoding, max).then(
      (decoded) => settle({ status, headers, wire, decoded }),
      (err: NodeJS.ErrnoException) => (err.code === TOO_LARGE ? tooLarge('once decoded') : settle({ status, headers, wire, decoded: wire, undecoded: true })),
    );
  });
}

async function decode(bytes: Buffer, encoding: string, max: number): Promise<Buffer> {
  let out = bytes;
  // Encodings are listed in the order they were applied.
  for (const name of encoding
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .reverse()) {
    if (name === '' || name === 'identity') continue;
    const decoder = decoders[name];
    if (!decoder) throw new Error(`unknown content-encoding "${name}"`);
    out = await decoder(out, { maxOutputLength: max });
  }
  return out;
}

const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

function classify(err: Error): UpstreamFailure['failure'] {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (REFUSED.has(code)) return 'refused';
  return UNTRUSTED.test(code) ? 'tls' : 'reset';
}

function failure(kind: UpstreamFailure['failure'], err: Error): UpstreamFailure {
  const code = (err as NodeJS.ErrnoException).code;
  return { failure: kind, message: code ? `${code} ${err.message}` : err.message };
}
