import { describe, expect, it } from 'vitest';
import { isUniqueId } from '../match/id-map.js';
import { resolveId, uniqueId } from './ids.js';

describe('uniqueId', () => {
  it("makes IDs of Appwrite's shape, all different, across many refills of the random pool", () => {
    // 4 random bytes an ID, 4 KiB a pool: 10,000 IDs go through ten pools.
    const ids = Array.from({ length: 10_000 }, uniqueId);
    expect(ids.every((id) => /^[0-9a-f]{20}$/.test(id) && isUniqueId(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The random tails differ too, not only the clock part.
    expect(new Set(ids.map((id) => id.slice(13))).size).toBeGreaterThan(9_990);
  });

  it('keeps an ID the client chose, and makes one for unique() or none', () => {
    expect(resolveId('ada')).toBe('ada');
    expect(isUniqueId(resolveId('unique()'))).toBe(true);
    expect(isUniqueId(resolveId(undefined))).toBe(true);
  });
});
