import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassetteStore } from '../src/cassette/cassette-store.js';
import { journalPath, readCassette } from '../src/cassette/cassette-journal.js';
import { LARGE_CASSETTE } from '../src/cassette/compact-heap.js';
import { requestKey } from '../src/match/request-key.js';
import type { Interaction } from '../src/model/interaction.js';
import { jsonInteraction, user, writeCassette } from './support/cassette.js';

/**
 * Full (mark-compact) collections asked for (forced) while `run` runs. V8's own collections do not count:
 * one may fall on any load, large or small, whenever the heap happens to fill up.
 */
async function majorCollections(run: () => Promise<unknown>): Promise<number> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  await run();
  // Entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen.filter((entry) => {
    const detail = (entry as unknown as { detail?: { kind?: number; flags?: number } }).detail;
    return detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR && ((detail.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0;
  }).length;
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

describe('a recorder that only records', () => {
  it('keeps no interaction in memory, and its fold still writes every one, after those the file held, in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-unkept-'));
    try {
      await writeCassette(
        dir,
        'flat',
        Array.from({ length: 5 }, (_, i) => jsonInteraction(`old-${i}`, 'GET', `/v1/users/old${i}`, 200, user(`old${i}`, 'Old'))),
      );
      const store = new CassetteStore({ dir, meta: { createdBy: 'test', specVersion: '1.5.0' } });
      const cassette = await store.open('flat');
      const added = Array.from({ length: 1_000 }, (_, i) => jsonInteraction(`new-${i}`, 'GET', `/v1/users/new${i}`, 200, user(`new${i}`, 'New')));
      await Promise.all(added.map((interaction) => cassette.append(interaction, false)));
      expect(cassette.size).toBe(5);
      expect(cassette.has(requestKey((added[0] as Interaction).request))).toBe(false);
      // Before the fold the journal holds them; after it, the file.
      expect((await readCassette(join(dir, 'flat.json'))).interactions).toHaveLength(1_005);
      await cassette.fold();
      expect(existsSync(journalPath(join(dir, 'flat.json')))).toBe(false);
      const ids = (await readCassette(join(dir, 'flat.json'))).interactions.map((i) => i.id);
      expect(ids).toEqual([...Array.from({ length: 5 }, (_, i) => `old-${i}`), ...Array.from({ length: 1_000 }, (_, i) => `new-${i}`)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
