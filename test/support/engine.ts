import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openEngine } from '../../src/api/open-engine.js';
import { resolveServerConfig, type ServerOptions } from '../../src/config/server-config.js';
import type { Engine, EngineResult, RawRequest } from '../../src/engine/engine.js';
import type { AppwriteState } from '../../src/state/appwrite-state.js';

export interface TestEngine {
  engine: Engine;
  state: AppwriteState | null;
  /** The engine's cassette folder, removed when the test ends. */
  cassettes: string;
}

/** A temporary folder for one test, removed when it ends. */
export async function testFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** Replay's engine as a server builds it, without the socket, over a temporary cassette folder. */
export async function openTestEngine(options: ServerOptions & { asServer?: boolean } = {}): Promise<TestEngine> {
  const { asServer = false, ...server } = options;
  const cassettes = server.cassettes ?? (await testFolder('vcr-engine-'));
  const config = resolveServerConfig({ fallback: 'schema', ...server, cassettes });
  // As `startServer` opens it: the stateful fallback when the config asks for it, and unused recordings reported.
  const { engine, state } = await openEngine(config, { stateful: asServer });
  return { engine, state, cassettes };
}

export interface RequestInit {
  headers?: Record<string, string>;
  body?: unknown;
  /** false: sent without the API key. */
  key?: boolean;
}

/** A request as the server hands it to the engine: header names in lower case, the project and (unless `key: false`) a key set. */
export function rawRequest(method: string, url: string, init: RequestInit = {}): RawRequest {
  const headers: Record<string, string> = { 'x-appwrite-project': 'p', ...(init.key === false ? {} : { 'x-appwrite-key': 'k' }), ...init.headers };
  if (init.body === undefined) return { method, url, headers, body: Buffer.alloc(0) };
  headers['content-type'] ??= 'application/json';
  return { method, url, headers, body: Buffer.from(typeof init.body === 'string' ? init.body : JSON.stringify(init.body)) };
}

/** The engine's answer to a request, awaited when it needs waiting for. */
export function send(engine: Engine, method: string, url: string, init?: RequestInit): Promise<EngineResult> {
  return Promise.resolve(engine.handle(rawRequest(method, url, init)));
}

/** The JSON body of an answer. */
export function jsonOf(result: EngineResult): unknown {
  const { body } = result.response;
  if (body?.kind !== 'json') throw new Error(`expected a JSON answer, got ${body?.kind ?? 'no body'}`);
  return body.value;
}
