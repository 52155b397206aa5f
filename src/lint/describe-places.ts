import type { FindingPlaces } from './lint-report.js';

/** `a.json #0, #4; b.json #2`, cut after `limit` places with the number left out. */
export function describePlaces(places: readonly FindingPlaces[], limit: number): string {
  const parts: string[] = [];
  let shown = 0;
  let total = 0;
  for (const { file, indexes } of places) {
    total += indexes.length;
    if (shown >= limit) continue;
    const taken = indexes.slice(0, limit - shown);
    shown += taken.length;
    parts.push(`${file} ${taken.map((i) => `#${i}`).join(', ')}`);
  }
  const rest = total - shown;
  return parts.join('; ') + (rest > 0 ? ` … +${rest} more (the JSON report lists every place)` : '');
}
