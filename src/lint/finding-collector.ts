import type { Finding, Severity } from '../model/finding.js';
import type { FindingExample, FindingGroup } from './lint-report.js';

interface GroupState {
  group: Omit<FindingGroup, 'places'>;
  /** File -> indexes, in the order files are read; packed integer arrays keep 100,000 places small. */
  places: Map<string, number[]>;
}

/**
 * Collects the findings of one operation, grouped by side, kind and path. Only the group, its count,
 * its first example and the places are kept, never the interactions themselves.
 */
export class FindingCollector {
  readonly #groups = new Map<string, GroupState>();
  #errors = 0;
  #warnings = 0;

  add(finding: Finding, place: { file: string; index: number; id: string }): void {
    const path = groupPath(finding.path);
    const key = `${finding.side}\u0000${finding.kind}\u0000${path}`;
    let state = this.#groups.get(key);
    if (!state) {
      const example: FindingExample = { file: place.file, index: place.index, id: place.id, path: finding.path };
      if (finding.value !== undefined) example.value = finding.value;
      state = {
        group: { kind: finding.kind, severity: finding.severity, side: finding.side, path, message: finding.message, count: 0, example },
        places: new Map(),
      };
      this.#groups.set(key, state);
    }
    state.group.count++;
    if (finding.severity === 'error') this.#errors++;
    else this.#warnings++;
    const indexes = state.places.get(place.file);
    if (!indexes) state.places.set(place.file, [place.index]);
    else if (indexes[indexes.length - 1] !== place.index) indexes.push(place.index);
  }

  get errors(): number {
    return this.#errors;
  }

  get warnings(): number {
    return this.#warnings;
  }

  get worst(): Severity | null {
    return this.#errors > 0 ? 'error' : this.#warnings > 0 ? 'warning' : null;
  }

  /** Errors first, then request before response, then by kind and path. */
  groups(): FindingGroup[] {
    return [...this.#groups.values()]
      .map(({ group, places }) => ({ ...group, places: [...places].map(([file, indexes]) => ({ file, indexes })) }))
      .sort((a, b) => rank(a.severity) - rank(b.severity) || a.side.localeCompare(b.side) || a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path));
  }
}

function rank(severity: Severity): number {
  return severity === 'error' ? 0 : 1;
}

/** @note Items of a list differ only by position (`/users/3/name`, `/users/4/name`): one group, the position written `*`. */
export function groupPath(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*');
}
