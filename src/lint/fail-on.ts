import { VcrError } from '../errors/vcr-error.js';
import type { FailOn } from './lint-report.js';

/** The finding level at which lint fails. */
export const FAIL_ON: Readonly<Record<FailOn, string>> = {
  /** Fail when any error finding exists (the default). */
  error: 'fail on errors',
  /** Fail on warnings too (undeclared fields, unknown parameters). */
  warning: 'fail on errors and warnings',
  /** Never fail on findings; input problems still fail. */
  never: 'report only',
};

export function parseFailOn(value: unknown): FailOn {
  if (typeof value === 'string' && Object.hasOwn(FAIL_ON, value)) return value as FailOn;
  throw new VcrError('CONFIG_INVALID', `Failed to read option "fail-on": ${JSON.stringify(value)} is not one of ${Object.keys(FAIL_ON).join(', ')}`, {
    option: 'fail-on',
    value,
  });
}

/** True when the counted findings reach the level. */
export function reachesFailOn(counts: { errors: number; warnings: number }, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return counts.errors > 0 || (failOn === 'warning' && counts.warnings > 0);
}

/** True for a finding severity at or above the level. */
export function severityFails(severity: 'error' | 'warning', failOn: FailOn): boolean {
  return failOn === 'warning' || (failOn === 'error' && severity === 'error');
}
