import { describe as group, expect, it } from 'vitest';
import { describe, invalidParam, notOptional } from './utopia-messages.js';

/**
 * The wording of utopia-php/framework 0.33.2's validators (the version Appwrite 1.5.0's composer.lock names),
 * src/Validator/<Name>.php getDescription(), for the schema each stands behind.
 */
group("utopia's validator descriptions", () => {
  it('names the parameter and the missing one as App::getArguments and App::validate do', () => {
    expect(notOptional('userId')).toBe('Param "userId" is not optional.');
    expect(invalidParam('size', { type: 'integer' })).toBe('Invalid `size` param: Value must be a valid integer');
  });

  it('words the scalar validators: Integer, FloatValidator, Boolean, JSON and Text', () => {
    expect(describe({ type: 'integer' })).toBe('Value must be a valid integer');
    expect(describe({ type: 'number' })).toBe('Value must be a valid float');
    expect(describe({ type: 'boolean' })).toBe('Value must be a valid boolean');
    expect(describe({ type: 'object' })).toBe('Value must be a valid JSON string');
    expect(describe({ type: 'string' })).toBe('Value must be a valid string');
    expect(describe({})).toBe('Value must be a valid string');
    // A list of types is read by its first.
    expect(describe({ type: ['integer', 'string'] })).toBe('Value must be a valid integer');
    expect(describe({ type: ['boolean'] })).toBe('Value must be a valid boolean');
  });

  it("words a WhiteList with its values in order, joined by ', ' (WhiteList.php:70)", () => {
    expect(describe({ type: 'string', enum: ['totp'] })).toBe('Value must be one of (totp)');
    expect(describe({ type: 'string', enum: ['email', 'phone', 'totp'] })).toBe('Value must be one of (email, phone, totp)');
    expect(describe({ type: 'integer', enum: [1, 2], minimum: 1, maximum: 2 })).toBe('Value must be one of (1, 2)');
    expect(describe({ type: 'string', enum: [] })).toBe('Value must be one of ()');
  });

  it("words a Range with both bounds through number_format: thousands separated by ',' (Range.php:78)", () => {
    expect(describe({ type: 'integer', minimum: 1, maximum: 1000 })).toBe('Value must be a valid range between 1 and 1,000');
    expect(describe({ type: 'integer', minimum: -1073741824, maximum: 0 })).toBe('Value must be a valid range between -1,073,741,824 and 0');
    expect(describe({ type: 'integer', minimum: 5, maximum: 5 })).toBe('Value must be a valid range between 5 and 5');
    // One bound alone is no Range.
    expect(describe({ type: 'integer', minimum: 1 })).toBe('Value must be a valid integer');
    expect(describe({ type: 'integer', maximum: 10 })).toBe('Value must be a valid integer');
  });

  it('words Text with its lengths: at least, no longer than, or exactly when both are the same (Text.php:59-73)', () => {
    // tests/e2e/Services/Databases/DatabasesBase.php:1227 at 1.5.0: Text(255) has min 1.
    expect(describe({ type: 'string', minLength: 1, maxLength: 255 })).toBe('Value must be a valid string and at least 1 chars and no longer than 255 chars');
    expect(describe({ type: 'string', maxLength: 128 })).toBe('Value must be a valid string and no longer than 128 chars');
    expect(describe({ type: 'string', minLength: 8 })).toBe('Value must be a valid string and at least 8 chars');
    expect(describe({ type: 'string', minLength: 6, maxLength: 6 })).toBe('Value must be a valid string and exactly 6 chars');
    expect(describe({ type: 'string', minLength: 0, maxLength: 0 })).toBe('Value must be a valid string');
  });

  it('words an ArrayList with its item validator, and its most items when it has them (ArrayList.php:45-53)', () => {
    // DatabasesBase.php:1227 at 1.5.0: ArrayList(Text(255), 100).
    expect(describe({ type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 255 } })).toBe(
      'Value must a valid array no longer than 100 items and Value must be a valid string and at least 1 chars and no longer than 255 chars',
    );
    expect(describe({ type: 'array', items: { type: 'integer' } })).toBe('Value must a valid array and Value must be a valid integer');
    expect(describe({ type: 'array', maxItems: 0, items: { type: 'boolean' } })).toBe('Value must a valid array and Value must be a valid boolean');
    expect(describe({ type: 'array' })).toBe('Value must a valid array and Value must be a valid string');
  });

  it('words a Nullable as its validator " or null" (Nullable.php:22), whichever way the spec says nullable', () => {
    // app/controllers/api/databases.php:2168 at 1.5.0: updateBooleanAttribute's default is Nullable(Boolean()).
    expect(describe({ type: 'boolean', 'x-nullable': true })).toBe('Value must be a valid boolean or null');
    expect(describe({ type: 'integer', nullable: true })).toBe('Value must be a valid integer or null');
    expect(describe({ type: 'string', nullable: false })).toBe('Value must be a valid string');
    expect(describe({ type: 'string', 'x-nullable': false })).toBe('Value must be a valid string');
    expect(invalidParam('default', { type: 'string', enum: ['a', 'b'], nullable: true })).toBe('Invalid `default` param: Value must be one of (a, b) or null');
  });
});
