import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { lazyRequire } from '../model/lazy-require.js';
import { ADMIN_TOKEN_HEADER, CASSETTE_HEADER } from '../engine/engine.js';
import { endSocket } from './answer-writer.js';
import type { VcrResponse } from '../model/exchange.js';

const httpProxy = lazyRequire<typeof import('http-proxy')>('http-proxy');

export interface UpgradePassthroughOptions {
  /** The upstream's origin, e.g. `https://appwrite.example.com`. */
  origin: string;
  /** Maps a local path to the upstream's (the base path differs when the upstream is mounted elsewhere). */
  upstreamPath(url: string): string;
  insecure: boolean;
  /** The answer for an upgrade the upstream could not take (refused, reset, untrusted). */
  failure(message: string): VcrResponse;
}

export interface UpgradePassthrough {
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/**
 * Connection upgrades (Appwrite Realtime's WebSocket at `/v1/realtime`) while recording: piped to the
 * upstream both ways, so an app keeps its live updates, and never recorded (a cassette holds
 * request/response exchanges). http-proxy does the handshake relay and the two-way piping.
 */
export function createUpgradePassthrough(options: UpgradePassthroughOptions): UpgradePassthrough {
  const proxy = httpProxy().createProxyServer({ target: options.origin, ws: true, changeOrigin: true, secure: !options.insecure });
  proxy.on('error', (err, _req, target) => {
    endSocket(target as Duplex, '502 Bad Gateway', options.failure(err.message));
  });
  // The upstream sides of open upgrades, ended when the recorder stops (the server ends the client sides).
  const upstreams = new Set<Duplex>();
  proxy.on('proxyReqWs', (proxyReq, _req, socket) => {
    proxyReq.once('upgrade', (_res: IncomingMessage, proxySocket: Duplex) => {
      upstreams.add(proxySocket);
      // Either side going away takes the other with it: nothing is left half-open.
      proxySocket.once('close', () => {
        upstreams.delete(proxySocket);
        socket.destroy();
      });
      socket.once('close', () => proxySocket.destroy());
    });
  });
  return {
    handle(req, socket, head) {
      req.url = options.upstreamPath(req.url ?? '/');
      delete req.headers[CASSETTE_HEADER];
      delete req.headers[ADMIN_TOKEN_HEADER];
      proxy.ws(req, socket, head);
    },
    close() {
      for (const proxySocket of upstreams) proxySocket.destroy();
      proxy.close();
    },
  };
}
