import type { Spec } from '../spec/load-spec.js';
import type { Coverage, TagCoverage } from './lint-report.js';

/** Operations with at least one recorded interaction, overall and per tag (tags without operations are left out). */
export function coverageOf(spec: Spec, recorded: ReadonlySet<string>): Coverage {
  const byTag: TagCoverage[] = [];
  for (const tag of spec.tags) {
    const operations = spec.operations.filter((op) => op.tag === tag);
    if (operations.length === 0) continue;
    const missing = operations.filter((op) => !recorded.has(op.operationId)).map((op) => op.operationId);
    const covered = operations.length - missing.length;
    byTag.push({ tag, operations: operations.length, covered, percent: percent(covered, operations.length), missing });
  }
  const covered = spec.operations.filter((op) => recorded.has(op.operationId)).length;
  return { operations: spec.operations.length, covered, percent: percent(covered, spec.operations.length), byTag };
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}
