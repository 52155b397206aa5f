/**
 * `target[key] = value` for keys that come from parsed input. A plain assignment of `__proto__`
 * swaps the target's prototype instead of storing the key: the value would vanish from the data
 * and its fields would show through as inherited properties. This stores it as data.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
