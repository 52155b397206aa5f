import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineColumnOf } from '../src/cassette/json-error-offset.js';

const VALID = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}\n', '"s"', '0', '{"a":{"b":[{}]}}'];
const BROKEN = [
  '',
  '{',
  '{"a": 1,}',
  '[1, 2',
  '{"a" 1}',
  '{"a": tru}',
  '[01]',
  '{"a": "b\u0001"}',
  '{"a": "\\x"}',
  '{} x',
  '[1,]',
  '{,\n}',
  '{"a": -}',
  '"abc',
];

describe('finding the position of a JSON syntax error', () => {
  it('finds none in valid JSON', () => {
    for (const text of VALID) expect(jsonErrorOffset(text), text).toBeNull();
  });

  it('finds one in every text JSON.parse refuses, at the position JSON.parse names when it names one', () => {
    for (const text of BROKEN) {
      expect(() => JSON.parse(text), text).toThrow();
      const offset = jsonErrorOffset(text);
      expect(offset, text).not.toBeNull();
      let named: RegExpExecArray | null = null;
      try {
        JSON.parse(text);
      } catch (err) {
        named = /position (\d+)/.exec((err as Error).message);
      }
      if (named) expect(offset, text).toBe(Number(named[1]));
    }
  });

  it('turns an offset into a 1-based line and column', () => {
    expect(lineColumnOf('{\n  "a": x\n}', 9)).toEqual({ line: 2, column: 8 });
    expect(lineColumnOf('[}', 1)).toEqual({ line: 1, column: 2 });
  });
});
