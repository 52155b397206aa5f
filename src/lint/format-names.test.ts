import { describe, expect, it } from 'vitest';
import { LINT_FORMATS } from './report-format.js';
import { LINT_FORMAT_NAMES } from './format-names.js';

describe('LINT_FORMAT_NAMES', () => {
  it('names exactly the formats that have a renderer', () => {
    expect([...LINT_FORMAT_NAMES].sort()).toEqual(Object.keys(LINT_FORMATS).sort());
  });
});
