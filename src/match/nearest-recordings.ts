import type { Interaction } from '../model/interaction.js';
import { differences, type Difference } from './first-differences.js';
import type { MatchableRequest } from './request-key.js';

/** A recording that came near a request no recording matched, and where the two differ. */
export interface NearRecording {
  /** The recording's `id` in its cassette. */
  id: string;
  /** Its place in the cassette (0-based). */
  index: number;
  differences: Difference[];
}

/** At most this many recordings of an operation are compared: a miss stays cheap in a large cassette. */
const SCAN_LIMIT = 500;

/**
 * The recordings nearest to `sent` (fewest differences first, then recorded order), at most `limit`.
 * `prepare` turns a recording into what matching compares (the cassette's ignore rules applied).
 */
export function nearestRecordings(
  sent: MatchableRequest,
  candidates: readonly Interaction[],
  positions: (interaction: Interaction) => number,
  prepare: (interaction: Interaction) => MatchableRequest,
  limit = 3,
): NearRecording[] {
  const scored: { interaction: Interaction; found: Difference[]; order: number }[] = [];
  const scan = candidates.length > SCAN_LIMIT ? candidates.slice(0, SCAN_LIMIT) : candidates;
  for (const [order, interaction] of scan.entries()) {
    // No difference at all: the request holds a client-generated ID that this run paired with another recorded ID.
    scored.push({ interaction, found: differences(sent, prepare(interaction), 50), order });
  }
  scored.sort((x, y) => x.found.length - y.found.length || x.order - y.order);
  return scored.slice(0, limit).map(({ interaction, found }) => ({ id: interaction.id, index: positions(interaction), differences: found.slice(0, 5) }));
}
