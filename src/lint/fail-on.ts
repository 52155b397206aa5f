import { choose, type Choices } from '../config/choices.js';
import type { FailOn } from './lint-report.js';

/** The finding level at which lint fails. */
export const FAIL_ON: Choices<FailOn> = {
  error: 'fail when any error finding exists (the default)',
  warning: 'fail on warnings too (undeclared fields, unknown parameters)',
  never: 'never fail on findings; input problems still fail',
};

export function parseFailOn(value: unknown): FailOn {
  return choose('fail-on', value, FAIL_ON);
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
