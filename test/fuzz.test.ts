import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from './support/fuzz-run.js';
import { KEY_HEADERS } from './support/server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const SEED = 20260527;
const COUNT = 10_000;
const MAX_BODY = 64 * 1024;
const TIMEOUT_MS = 1_000;

describe('hostile input (fixed seed)', () => {
  let server: ServerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-fuzz-'));
    server = await startServerProcess({ cassettes: join(dir, 'cassettes'), maxBodyBytes: MAX_BODY, requestTimeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 10,000 generated hostile requests each with a well-formed answer, never crashing, hanging or growing', async () => {
    const port = Number(new URL(server.url).port);
    // Warm-up with another seed, so that the measure compares like with like.
    const warm = await runFuzz({ port, seed: SEED + 1, count: 1_000, maxBodyBytes: MAX_BODY, concurrency: 32, deadlineMs: 15_000 });
    expect(warm.problems).toEqual([]);
    const before = await server.heap();

    const report = await runFuzz({ port, seed: SEED, count: COUNT, maxBodyBytes: MAX_BODY, concurrency: 32, deadlineMs: 15_000 });
    console.info(
      `fuzz: ${report.requests} requests, ${report.problemCount} problems; by status ${JSON.stringify(report.byStatus)}; by kind ${JSON.stringify(report.byLabel)}`,
    );
    expect(report.problems).toEqual([]);
    expect(report.requests).toBe(COUNT);
    // Each kind of hostile input was tried, and the limits answered as they should.
    expect(Object.keys(report.byLabel).sort()).toEqual(
      [
        'admin',
        'cassette-name',
        'deep-json',
        'framing',
        'garbage',
        'huge-header',
        'injection',
        'large-header',
        'multipart',
        'numbers',
        'oversize-declared',
        'oversize-streamed',
        'proto',
        'routed',
        'slow',
        'utf8',
      ].sort(),
    );
    for (const status of [400, 404, 408, 413, 431]) expect(report.byStatus[status] ?? 0).toBeGreaterThan(0);

    const after = await server.heap();
    console.info(`fuzz heap: ${(before.heapUsed / 1e6).toFixed(1)} MB -> ${(after.heapUsed / 1e6).toFixed(1)} MB`);
    // A leak of a kilobyte per request would hold 10 MB more after the run; Node 22 and 24 keep about
    // 3 MB more of optimised code and inline caches after it, so the bound allows 20 % plus 4 MB.
    expect(after.heapUsed).toBeLessThan(before.heapUsed * 1.2 + 4e6);
    expect(after.polluted).toEqual([]);

    // Still serving, and no cassette name from a header wrote anything outside the folder.
    const health = await fetch(`${server.endpoint}/health`, { headers: KEY_HEADERS });
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect((await readdir(dir)).filter((name) => name !== 'cassettes')).toEqual([]);
  });
});
