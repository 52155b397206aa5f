import { describe, expect, it } from 'vitest';
import { describeChoices } from '../config/choices.js';
import { FAIL_ON, parseFailOn, reachesFailOn, severityFails } from './fail-on.js';

describe('--fail-on', () => {
  it('fails on errors at error, on errors and warnings at warning, and never at never', () => {
    const none = { errors: 0, warnings: 0 };
    const warnings = { errors: 0, warnings: 1 };
    const errors = { errors: 1, warnings: 0 };
    expect([none, warnings, errors].map((counts) => reachesFailOn(counts, 'error'))).toEqual([false, false, true]);
    expect([none, warnings, errors].map((counts) => reachesFailOn(counts, 'warning'))).toEqual([false, true, true]);
    expect([none, warnings, errors, { errors: 3, warnings: 3 }].map((counts) => reachesFailOn(counts, 'never'))).toEqual([false, false, false, false]);
  });

  it('says which finding severities fail at each level', () => {
    expect((['error', 'warning', 'never'] as const).map((level) => [severityFails('error', level), severityFails('warning', level)])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
  });

  it('takes the three levels, each described for --help, and refuses anything else with the list', () => {
    expect(describeChoices(FAIL_ON)).toBe(
      'error: fail when any error finding exists (the default); warning: fail on warnings too (undeclared fields, unknown parameters); never: never fail on findings; input problems still fail',
    );
    expect(['error', 'warning', 'never'].map(parseFailOn)).toEqual(['error', 'warning', 'never']);
    expect(() => parseFailOn('warnings')).toThrow('Failed to use option "fail-on": "warnings" is not one of error, warning, never');
    expect(() => parseFailOn('toString')).toThrow('is not one of error, warning, never');
  });
});
