import { describe, expect, it } from 'vitest';
import { coerceJson, coerceText, INVALID } from './coerce.js';

/**
 * Text as utopia-php/framework 0.33.2's loose validators read it (src/Validator/Integer.php, FloatValidator.php,
 * Range.php: PHP's is_numeric, then `$value + 0`; Boolean.php with `$loose`: 'true', 'false', '1', '0').
 */
describe('text read as a parameter type', () => {
  const integer = { type: 'integer' };
  const number = { type: 'number' };
  const boolean = { type: 'boolean' };

  it('reads integers with a sign and PHP blanks around them, and refuses a point, an exponent, hex or other blanks', () => {
    expect(coerceText('10', integer)).toBe(10);
    expect(coerceText('+10', integer)).toBe(10);
    expect(coerceText('-3', integer)).toBe(-3);
    expect(coerceText('0', integer)).toBe(0);
    expect(coerceText(' 7', integer)).toBe(7);
    expect(coerceText('7 \t\n\r\v\f', integer)).toBe(7);
    expect(coerceText('\v\f7', integer)).toBe(7);
    // `"1.0" + 0` and `"1e3" + 0` are floats in PHP, which Range(TYPE_INTEGER) and Integer refuse.
    for (const text of ['1.0', '1e3', '0x1A', '', ' ', '+', '1 2', '\u00a07', '7\u00a0', 'seven', '1_000', 'Infinity'])
      expect(coerceText(text, integer), JSON.stringify(text)).toBe(INVALID);
    expect(coerceText(['1'], integer)).toBe(INVALID);
  });

  it("reads floats as PHP's is_numeric does: points at either end and exponents, not hex, octal, binary or Infinity", () => {
    expect(coerceText('1.5', number)).toBe(1.5);
    expect(coerceText('-.5', number)).toBe(-0.5);
    expect(coerceText('5.', number)).toBe(5);
    expect(coerceText('+2e3', number)).toBe(2000);
    expect(coerceText('1E-2', number)).toBe(0.01);
    expect(coerceText(' 3 ', number)).toBe(3);
    expect(coerceText('\v3.5\v', number)).toBe(3.5);
    expect(coerceText('.25', number)).toBe(0.25);
    expect(coerceText('1e10', number)).toBe(1e10);
    expect(coerceText('12', number)).toBe(12);
    for (const text of ['', ' ', '.', 'e3', '1e', '0x10', '0o7', '0b11', 'Infinity', '-Infinity', 'NaN', '1,5', '\u20031'])
      expect(coerceText(text, number), JSON.stringify(text)).toBe(INVALID);
  });

  it("reads exactly 'true', '1', 'false' and '0' as booleans", () => {
    expect(coerceText('true', boolean)).toBe(true);
    expect(coerceText('1', boolean)).toBe(true);
    expect(coerceText('false', boolean)).toBe(false);
    expect(coerceText('0', boolean)).toBe(false);
    for (const text of ['TRUE', 'True', 'yes', 'on', '', ' 1', '1 ', '2', 'null']) expect(coerceText(text, boolean), JSON.stringify(text)).toBe(INVALID);
  });

  it('reads an object as JSON text, and refuses text that is no JSON', () => {
    expect(coerceText('{"a":[1,null]}', { type: 'object' })).toEqual({ a: [1, null] });
    expect(coerceText('[]', { type: 'object' })).toEqual([]);
    expect(coerceText('{"a":', { type: 'object' })).toBe(INVALID);
    expect(coerceText('', { type: 'object' })).toBe(INVALID);
  });

  it('keeps text for strings and for schemas without a type, and reads a list of types by its first', () => {
    expect(coerceText(' 10 ', { type: 'string' })).toBe(' 10 ');
    expect(coerceText('', {})).toBe('');
    expect(coerceText('10', { type: ['integer', 'string'] })).toBe(10);
    expect(coerceText('ten', { type: ['integer', 'string'] })).toBe(INVALID);
    expect(coerceText(['a'], { type: 'string' })).toBe(INVALID);
  });

  it("reads each item of a list with the items' schema, a lone value as a list of one, and refuses the list for one bad item", () => {
    const integers = { type: 'array', items: integer };
    expect(coerceText(['1', '+2', '-3'], integers)).toEqual([1, 2, -3]);
    expect(coerceText('4', integers)).toEqual([4]);
    expect(coerceText([], integers)).toEqual([]);
    expect(coerceText(['1', 'two', '3'], integers)).toBe(INVALID);
    expect(coerceText(['1', '2', 'three'], integers)).toBe(INVALID);
    // Items without a schema are strings.
    expect(coerceText(['1', 'two'], { type: 'array' })).toEqual(['1', 'two']);
    expect(coerceText(['true', '0'], { type: ['array'], items: boolean })).toEqual([true, false]);
  });
});

/** JSON bodies: Range and Numeric read numeric text (Range.php, Numeric.php at 0.33.2); Boolean(true) reads boolean text. */
describe('JSON body values read as a parameter type', () => {
  it('reads numeric text as a number for integer and number parameters, and leaves other text as sent', () => {
    expect(coerceJson('12', { type: 'integer' }, false)).toBe(12);
    expect(coerceJson('1.25', { type: 'number' }, false)).toBe(1.25);
    expect(coerceJson('12', { type: ['integer'] }, false)).toBe(12);
    expect(coerceJson('twelve', { type: 'integer' }, false)).toBe('twelve');
    expect(coerceJson('1.5', { type: 'integer' }, false)).toBe('1.5');
    expect(coerceJson('12', { type: 'string' }, true)).toBe('12');
    expect(coerceJson(12, { type: 'integer' }, false)).toBe(12);
    expect(coerceJson(null, { type: 'integer' }, false)).toBe(null);
  });

  it('reads boolean text only where the validator is the loose Boolean(true)', () => {
    expect(coerceJson('true', { type: 'boolean' }, true)).toBe(true);
    expect(coerceJson('0', { type: 'boolean' }, true)).toBe(false);
    expect(coerceJson('true', { type: 'boolean' }, false)).toBe('true');
    expect(coerceJson('yes', { type: 'boolean' }, true)).toBe('yes');
    expect(coerceJson(false, { type: 'boolean' }, true)).toBe(false);
    expect(coerceJson('true', { type: 'object' }, true)).toBe('true');
    expect(coerceJson(1, { type: 'integer' }, true)).toBe(1);
    expect(coerceJson(0, { type: 'number' }, true)).toBe(0);
    expect(coerceJson(1, { type: 'boolean' }, false)).toBe(1);
    expect(coerceJson(2, { type: 'boolean' }, true)).toBe(2);
  });
});
