import type { Headers } from './exchange.js';

/** The first value of a header that may repeat; undefined when it is absent. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The first value of the header `name` (lower case), or `''` when it is absent. */
export function headerText(headers: Headers, name: string): string {
  return headerValue(headers[name]) ?? '';
}
