import { EventEmitter } from 'node:events';
import { Agent as HttpAgent, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import httpProxy from 'http-proxy';
import { CASSETTE_HEADER, type RawRequest } from '../engine/engine.js';
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
}

export interface Forwarder {
  forward: Forward;
  close(): void;
}

/**
 * Request headers that belong to one connection, never passed on; `expect` too: the body is already here, and http-proxy skips its request hooks for a request that expects 100-continue.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'expect', CASSETTE_HEADER]);

interface Pending {
  settle(result: UpstreamAnswer | UpstreamFailure): void;
  proxyReq: ClientRequest | null;
  settled: boolean;
}

const decoders: Record<string, (bytes: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  // @note "deflate" is zlib-wrapped by the standard, raw deflate by some servers: try both.
  deflate: (bytes) => promisify(inflate)(bytes).catch(() => promisify(inflateRaw)(bytes)),
};

/**
 * Forwards buffered requests to the upstream through http-proxy and captures the answer
 * (`selfHandleResponse`): the bytes as received for the client, decoded bytes for the cassette.
 * Never rejects: refused, reset and timed-out exchanges come back as an `UpstreamFailure`.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const upstream = new URL(options.upstream);
  const upstreamPath = upstream.pathname.replace(/\/+$/, '');
  const target = new URL(upstream.origin);
  const agent = upstream.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: !options.insecure }) : new HttpAgent({ keepAlive: true });
  const proxy = httpProxy.createProxyServer({});
  const pending = new WeakMap<object, Pending>();

  proxy.on('proxyReq', (proxyReq, req) => {
    const entry = pending.get(req);
    if (!entry) return;
    if (entry.settled) proxyReq.destroy();
    else entry.proxyReq = proxyReq;
  });
  proxy.on('proxyRes', (proxyRes: IncomingMessage, req) => {
    const entry = pending.get(req);
    if (!entry) return;
    const chunks: Buffer[] = [];
    proxyRes.on('data', (chunk: Buffer) => chunks.push(chunk));
    proxyRes.once('error', (err) => entry.settle(failure('reset', err)));
    proxyRes.once('aborted', () => entry.settle(failure('reset', new Error('the upstream closed the connection mid-answer'))));
    proxyRes.once('end', () => {
      const wire = Buffer.concat(chunks);
      const headers = proxyRes.headers as Headers;
      decode(wire, proxyRes.headers['content-encoding']).then(
        (decoded) => entry.settle({ status: proxyRes.statusCode ?? 502, headers, wire, decoded }),
        () => entry.settle({ status: proxyRes.statusCode ?? 502, headers, wire, decoded: wire, undecoded: true }),
      );
    });
  });

  const forward: Forward = (raw: RawRequest) =>
    new Promise((resolve) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(raw.headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
      if (raw.body.length > 0 || !['GET', 'HEAD'].includes(raw.method.toUpperCase())) headers['content-length'] = String(raw.body.length);
      else delete headers['content-length'];
      // http-proxy reads method, url, headers and socket from the incoming request; the body comes from `buffer`.
      const req = Object.assign(new EventEmitter(), { method: raw.method, url: upstreamUrl(raw.url), headers, httpVersion: '1.1', socket: { destroyed: false } });
      const entry: Pending = {
        proxyReq: null,
        settled: false,
        settle(result) {
          if (entry.settled) return;
          entry.settled = true;
          clearTimeout(timer);
          resolve(result);
        },
      };
      const timer = setTimeout(() => {
        entry.settle({ failure: 'timeout', message: `no answer within ${options.timeoutMs} ms` });
        entry.proxyReq?.destroy();
      }, options.timeoutMs);
      pending.set(req, entry);
      proxy.web(
        req as unknown as IncomingMessage,
        {} as never,
        { target, buffer: Readable.from(raw.body.length > 0 ? [raw.body] : []), selfHandleResponse: true, changeOrigin: true, secure: !options.insecure, agent },
        (err) => entry.settle(failure(classify(err), err)),
      );
    });

  function upstreamUrl(url: string): string {
    const base = options.basePath;
    if (base !== '' && (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) return `${upstreamPath}${url.slice(base.length)}`;
    return url;
  }

  return {
    forward,
    close() {
      agent.destroy();
      proxy.close();
    },
  };
}

async function decode(bytes: Buffer, encoding: string | undefined): Promise<Buffer> {
  if (!encoding || bytes.length === 0) return bytes;
  let out = bytes;
  // Encodings are listed in the order they were applied.
  for (const name of encoding.split(',').map((e) => e.trim().toLowerCase()).reverse()) {
    if (name === '' || name === 'identity') continue;
    const decoder = decoders[name];
    if (!decoder) throw new Error(`unknown content-encoding "${name}"`);
    out = await decoder(out);
  }
  return out;
}

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
