import { describe, expect, it } from 'vitest';
import { parseJson } from './parse-json.js';
import { extendableCopy } from './extendable-copy.js';

describe('extendableCopy', () => {
  it('copies own keys in order into a new object that can be extended without touching the source', () => {
    const source = { $id: 'ada', name: 'Ada', labels: ['vip'] };
    const copy = extendableCopy(source);
    (copy as Record<string, unknown>).targets = [];
    expect(Object.keys(copy)).toEqual(['$id', 'name', 'labels', 'targets']);
    expect(source).toEqual({ $id: 'ada', name: 'Ada', labels: ['vip'] });
    expect(copy.labels).toBe(source.labels);
  });

  it('keeps a parsed `__proto__` key as data instead of swapping the prototype', () => {
    const source = parseJson('{"a":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = extendableCopy(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['a', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
  });
});
