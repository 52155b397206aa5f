import { afterAll, beforeAll } from 'vitest';
import type { StartServerOptions } from '../../src/index.js';
import { startTestServer, type TestServer } from './server.js';

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Sends a JSON request with the server key and reads the JSON answer. */
export function jsonCall(server: () => TestServer): (method: string, path: string, body?: unknown) => Promise<JsonAnswer> {
  return async (method, path, body) => {
    const res = await server().call(method, path, body === undefined ? {} : { body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

/** `path?queries[]=…` with each query as the SDKs encode it. */
export function withQueries(path: string, queries: object[]): string {
  return `${path}?${queries.map((q) => `queries[]=${encodeURIComponent(JSON.stringify(q))}`).join('&')}`;
}

/** One server for the tests of a `describe`, started before them and stopped after; each test makes its own data on it. */
export function useTestServer(options?: StartServerOptions): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(() => server?.stop());
  return () => {
    if (!server) throw new Error('The test server is not started yet');
    return server;
  };
}
