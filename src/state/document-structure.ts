import { isIP } from 'node:net';
import { INT_MAX, INT_MIN, FLOAT_MAX } from './attributes.js';
import { isoDate } from './ids.js';
import { parsePhpDatetime } from './php-datetime.js';
import type { Model } from './state-data.js';

/** Attributes every document has, as utopia-php/database's Structure validator lists them. */
const SYSTEM = new Set(['$id', '$collection', '$permissions', '$createdAt', '$updatedAt']);

/**
 * Checks a document against its collection's attributes the way utopia-php/database's
 * Structure validator does (required, then unknown, then values), and returns its message
 * (`Invalid document structure: ...`) or null when the document is valid.
 */
export function structureProblem(document: Model, attributes: ReadonlyMap<string, Model>): string | null {
  const problem = check(document, attributes);
  return problem === null ? null : `Invalid document structure: ${problem}`;
}

function check(document: Model, attributes: ReadonlyMap<string, Model>): string | null {
  for (const attribute of attributes.values()) {
    const key = attribute.key as string;
    const value = Object.hasOwn(document, key) ? document[key] : undefined;
    if (attribute.required === true && (value === undefined || value === null)) return `Missing required attribute "${key}"`;
  }
  for (const key of Object.keys(document)) if (!SYSTEM.has(key) && !attributes.has(key)) return `Unknown attribute: "${key}"`;
  for (const [key, value] of Object.entries(document)) {
    const attribute = attributes.get(key);
    if (!attribute || attribute.type === 'relationship') continue;
    if (attribute.required !== true && value === null) continue;
    // @note The message says "format" when the attribute has a format (email, enum, ip, url, and the ranges of integers and floats).
    const label = attribute.format || attribute.type === 'integer' || attribute.type === 'double' ? 'format' : 'type';
    if (attribute.array === true) {
      if (attribute.required !== true && Array.isArray(value) && value.length === 0) continue;
      if (!Array.isArray(value)) return `Attribute "${key}" must be an array`;
      for (const [index, child] of value.entries()) {
        if (attribute.required !== true && child === null) continue;
        const problem = valueProblem(child, attribute);
        if (problem) return `Attribute "${key}['${index}']" has invalid ${label}. ${problem}`;
      }
    } else {
      const problem = valueProblem(value, attribute);
      if (problem) return `Attribute "${key}" has invalid ${label}. ${problem}`;
    }
  }
  return null;
}

function valueProblem(value: unknown, attribute: Model): string | null {
  switch (attribute.type) {
    case 'string': {
      const size = attribute.size as number;
      if (typeof value !== 'string' || [...value].length > size) return `Value must be a valid string and no longer than ${size} chars`;
      return formatProblem(value, attribute);
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'Value must be a valid integer';
      return rangeProblem(value, attribute);
    case 'double':
      if (typeof value !== 'number') return 'Value must be a valid float';
      return rangeProblem(value, attribute);
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Value must be a valid boolean';
    case 'datetime':
      return typeof value === 'string' && parsePhpDatetime(value) !== null ? null : 'Value must be valid date.';
    default:
      return null;
  }
}

function formatProblem(value: string, attribute: Model): string | null {
  switch (attribute.format) {
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : 'Value must be a valid email address';
    case 'ip':
      return isIP(value) !== 0 ? null : 'Value must be a valid IP address';
    case 'url':
      return isUrl(value) ? null : 'Value must be a valid URL';
    case 'enum': {
      const elements = attribute.elements as string[];
      return elements.includes(value) ? null : `Value must be one of (${elements.join(', ')})`;
    }
    default:
      return null;
  }
}

/**
 * PHP's FILTER_VALIDATE_URL, which utopia's URL validator runs: a scheme, and a host unless the scheme is
 * `mailto`, `news` or `file` (php-src ext/filter/logical_filters.c, php_filter_validate_url).
 */
const HOSTLESS = new Set(['mailto:', 'news:', 'file:']);

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && (url.host !== '' || HOSTLESS.has(url.protocol.toLowerCase()));
  } catch {
    return false;
  }
}

/** Utopia's `Range` refusal of a value outside an attribute's `min` and `max`, or null inside them. */
export function rangeProblem(value: number, attribute: Readonly<Model>): string | null {
  const min = attribute.min as number;
  const max = attribute.max as number;
  if (value >= min && value <= max) return null;
  return `Value must be a valid range between ${numberFormat(min)} and ${numberFormat(max)}`;
}

/**
 * PHP's `number_format`: rounded half away from zero (PHP's `round`, so -1.5 is -2 where `Math.round` gives -1),
 * thousands separated by commas; PHP's integer bounds printed exactly.
 */
function numberFormat(value: number): string {
  if (value <= INT_MIN) return '-9,223,372,036,854,775,808';
  if (value >= INT_MAX && value < FLOAT_MAX) return '9,223,372,036,854,775,807';
  return BigInt(Math.sign(value) * Math.round(Math.abs(value))).toLocaleString('en-US');
}

/** The stored form of an attribute value: datetimes in Appwrite's format. */
export function normalise(document: Model, attributes: ReadonlyMap<string, Model>): Model {
  for (const [key, value] of Object.entries(document)) {
    const attribute = attributes.get(key);
    if (attribute?.type !== 'datetime' || value === null) continue;
    const convert = (text: unknown): unknown => (typeof text === 'string' ? isoDate(parsePhpDatetime(text) ?? new Date(text)) : text);
    document[key] = Array.isArray(value) ? value.map(convert) : convert(value);
  }
  return document;
}
