import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openEngine } from '../../src/api/open-engine.js';
import { readCassette } from '../../src/cassette/cassette-journal.js';
import type { CassetteFile } from '../../src/cassette/cassette-format.js';
import { resolveRecordConfig, type RecordOptions } from '../../src/config/record-config.js';
import type { Engine, EngineResult, RawRequest } from '../../src/engine/engine.js';
import { Recorder, type UpstreamAnswer, type UpstreamFailure } from '../../src/engine/recorder.js';
import { rawRequest, testFolder, type RequestInit } from './engine.js';

/** What the scripted upstream answers a request with. */
export type Upstream = (raw: RawRequest) => UpstreamAnswer | UpstreamFailure | Promise<UpstreamAnswer | UpstreamFailure>;

export interface TestRecorder {
  recorder: Recorder;
  engine: Engine;
  cassettes: string;
  /** The requests forwarded to the upstream, in order (`METHOD url`). */
  forwarded: string[];
  /** Write errors the recorder reported after answering. */
  writeErrors: unknown[];
  send(method: string, url: string, init?: RequestInit): Promise<EngineResult>;
  /** The cassette file `name` as it is on disk after a flush, journal folded in. */
  cassette(name?: string): Promise<CassetteFile | null>;
}

export const UPSTREAM = 'http://127.0.0.1:9/v1';

/** A JSON answer of the upstream, its bytes as they came. */
export function upstreamJson(status: number, value: unknown, headers: Record<string, string> = {}): UpstreamAnswer {
  const bytes = Buffer.from(JSON.stringify(value));
  return { status, headers: { 'content-type': 'application/json', ...headers }, wire: bytes, decoded: bytes };
}

/**
 * Record's pipeline as `startRecorder` builds it, without the sockets: `upstream` stands for the forwarder,
 * the cassettes are real files in a temporary folder. Closed when the test ends.
 */
export async function openTestRecorder(upstream: Upstream, options: Partial<RecordOptions> = {}): Promise<TestRecorder> {
  const cassettes = options.cassettes ?? (await testFolder('vcr-recorder-'));
  const config = resolveRecordConfig({ upstream: UPSTREAM, ...options, cassettes });
  const { engine } = await openEngine({ ...config, strict: false });
  const forwarded: string[] = [];
  const writeErrors: unknown[] = [];
  const recorder = new Recorder(engine, {
    forward: (raw) => {
      forwarded.push(`${raw.method} ${raw.url}`);
      return Promise.resolve(upstream(raw));
    },
    mode: config.mode,
    cassette: config.cassette,
    upstream: config.upstream,
    onWriteError: (error) => writeErrors.push(error),
  });
  onTestFinished(() => recorder.close());
  return {
    recorder,
    engine,
    cassettes,
    forwarded,
    writeErrors,
    send: (method, url, init) => recorder.record(rawRequest(method, url, init)),
    async cassette(name = 'default') {
      await recorder.flush();
      return readCassette(join(cassettes, `${name}.json`)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
    },
  };
}
