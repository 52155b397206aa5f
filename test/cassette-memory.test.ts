import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassetteStore } from '../src/cassette/cassette-store.js';
import { LARGE_CASSETTE } from '../src/cassette/compact-heap.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

/** Full (mark-compact) collections seen while `run` runs. */
async function majorCollections(run: () => Promise<unknown>): Promise<number> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  await run();
  // Entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen.filter((entry) => (entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
}

describe('loading a large cassette', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-memory-'));
    const many = Array.from({ length: LARGE_CASSETTE }, (_, i) => jsonInteraction(String(i), 'GET', `/v1/users/u${i}`, 200, user(`u${i}`, `User ${i}`)));
    await writeCassette(dir, 'large', many);
    await writeCassette(dir, 'small', many.slice(0, 10));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(`collects the garbage of the load at once from ${LARGE_CASSETTE.toLocaleString('en')} interactions on, and not for a small one`, async () => {
    const store = new CassetteStore({ dir, meta: { createdBy: 'test', specVersion: '1.5.0' } });
    expect(await majorCollections(() => store.open('small'))).toBe(0);
    let size = 0;
    expect(await majorCollections(async () => (size = (await store.open('large')).size))).toBeGreaterThanOrEqual(1);
    expect(size).toBe(LARGE_CASSETTE);
    // Nothing of the cassette went with the garbage.
    const large = await store.open('large');
    expect(large.interactions.at(-1)?.request.path).toBe(`/v1/users/u${LARGE_CASSETTE - 1}`);
  });
});
