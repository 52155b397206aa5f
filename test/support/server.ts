import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartServerOptions, type VcrServer } from '../../src/index.js';

/** Default headers of a server-side Appwrite client. */
export const KEY_HEADERS = { 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key' } as const;

export interface TestServer extends VcrServer {
  cassettes: string;
  /** Sends a request to the API (path relative to the endpoint, e.g. `/users`). */
  call(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

/** A real server on an ephemeral port of 127.0.0.1, with its own cassette folder. */
export async function startTestServer(options: StartServerOptions = {}): Promise<TestServer> {
  const cassettes = options.cassettes ?? (await mkdtemp(join(tmpdir(), 'vcr-cassettes-')));
  const server = await startServer({ port: 0, host: '127.0.0.1', ...options, cassettes });
  return Object.assign(server, {
    cassettes,
    call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...KEY_HEADERS, ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      }
      return fetch(`${server.endpoint}${path}`, { method, headers, body, redirect: 'manual' });
    },
    async stop() {
      await server.close();
      if (!options.cassettes) await rm(cassettes, { recursive: true, force: true });
    },
  });
}
