import { parseMatchIgnoreRule } from '../config/match-ignore-rule.js';
import { parseRedactRule } from '../config/redact-rule.js';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import { sortKeysDeep } from '../match/canonical-json.js';
import { jsonSyntaxProblem, parseJson } from '../model/parse-json.js';
import { jsonErrorOffset, lineColumnOf } from './json-error-offset.js';

export const CASSETTE_FORMAT = 'appwrite-vcr-cassette';
export const CASSETTE_VERSION = 1;

export interface CassetteMeta {
  /** The tool and version that wrote the file, e.g. `appwrite-vcr/0.1.0`. */
  createdBy: string;
  createdAt: string;
  /** `info.version` of the spec the traffic was validated against. */
  specVersion: string;
  /**
   * The `--redact` rules (header names, JSON paths) the recordings were made with, besides the built-in
   * ones: replay applies them when it matches a request against this cassette.
   */
  redact?: string[];
  /**
   * The `--match-ignore` rules (JSON paths into bodies, `query:NAME`) the recordings were made with:
   * replay leaves those values out when it matches a request against this cassette.
   */
  matchIgnore?: string[];
}

export interface CassetteFile {
  format: typeof CASSETTE_FORMAT;
  version: typeof CASSETTE_VERSION;
  meta: CassetteMeta;
  interactions: Interaction[];
}

export function emptyCassette(meta: CassetteMeta): CassetteFile {
  return { format: CASSETTE_FORMAT, version: CASSETTE_VERSION, meta, interactions: [] };
}

/**
 * Parses and checks a cassette file. Errors name the file, and the position
 * (line and column) or the interaction that is wrong.
 */
export function parseCassette(text: string, file: string): CassetteFile {
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (err) {
    const message = jsonSyntaxProblem(err);
    const at = jsonErrorOffset(text);
    const where = text.trim() === '' ? ' (the file is empty)' : at !== null ? ` at ${lineColumn(text, at)}` : '';
    throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette "${file}": invalid JSON${where}: ${message}`, { file });
  }
  const problem = checkCassette(data);
  if (problem) throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette "${file}": ${problem}`, { file });
  return data as CassetteFile;
}

/** Pretty-printed, object keys sorted, so that a diff in a pull request is readable. */
export function stringifyCassette(cassette: CassetteFile): string {
  const { format, version, meta, interactions } = cassette;
  const head = JSON.stringify({ format, version, meta: sortKeysDeep(meta) }, null, 2).slice(0, -2);
  if (interactions.length === 0) return `${head},\n  "interactions": []\n}\n`;
  return `${head},\n  "interactions": [\n${interactions.map(renderInteraction).join(',\n')}\n  ]\n}\n`;
}

/** The interaction as `JSON.stringify(..., null, 2)` prints it at depth 2 of the file. */
function renderInteraction(interaction: Interaction): string {
  return `    ${JSON.stringify(orderInteraction(interaction), null, 2).replace(/\n/g, '\n    ')}`;
}

/** The interaction on one line: a line of a cassette journal (keys are put in order when it is folded). */
export function interactionLine(interaction: Interaction): string {
  return `${JSON.stringify(interaction)}\n`;
}

function orderInteraction(interaction: Interaction): Interaction {
  const { id, operationId, recordedAt, durationMs, request, response, violations } = interaction;
  const out: Interaction = {
    id,
    operationId,
    recordedAt,
    durationMs,
    request: {
      method: request.method,
      path: request.path,
      query: sortKeysDeep(request.query),
      headers: sortKeysDeep(request.headers),
      body: sortKeysDeep(request.body),
    },
    response: { status: response.status, headers: sortKeysDeep(response.headers), body: sortKeysDeep(response.body) },
  };
  if (violations && violations.length > 0) out.violations = violations;
  return out;
}

function lineColumn(text: string, offset: number): string {
  const { line, column } = lineColumnOf(text, offset);
  return `line ${line}, column ${column}`;
}

function checkCassette(data: unknown): string | null {
  if (!isRecord(data)) return 'the top level must be an object';
  if (data.format !== CASSETTE_FORMAT) return `"format" must be "${CASSETTE_FORMAT}", got ${JSON.stringify(data.format)}`;
  if (data.version !== CASSETTE_VERSION) return `unsupported version ${JSON.stringify(data.version)} (this appwrite-vcr reads version ${CASSETTE_VERSION})`;
  if (!isRecord(data.meta)) return '"meta" must be an object';
  const rulesProblem = checkRules(data.meta, 'redact', parseRedactRule) ?? checkRules(data.meta, 'matchIgnore', parseMatchIgnoreRule);
  if (rulesProblem) return rulesProblem;
  if (!Array.isArray(data.interactions)) return '"interactions" must be an array';
  for (let i = 0; i < data.interactions.length; i++) {
    const problem = checkInteraction(data.interactions[i]);
    if (problem) return `interaction ${i}: ${problem}`;
  }
  return null;
}

/** What is wrong with a list of rules in the meta (`redact`, `matchIgnore`), or null. */
function checkRules(meta: Record<string, unknown>, name: string, parse: (rule: string) => unknown): string | null {
  const rules = meta[name];
  if (rules === undefined) return null;
  if (!Array.isArray(rules)) return `"meta.${name}" must be a list of rules`;
  for (const [i, rule] of rules.entries()) {
    try {
      if (typeof rule !== 'string') throw new Error('must be a string');
      parse(rule);
    } catch (err) {
      return `"meta.${name}[${i}]": ${(err as Error).message}`;
    }
  }
  return null;
}

/** What is wrong with an interaction read from a file, or null. */
export function checkInteraction(value: unknown): string | null {
  if (!isRecord(value)) return 'must be an object';
  if (typeof value.id !== 'string') return '"id" must be a string';
  // Reports and matching read these as they are: a wrong type must stop here, not crash a reporter.
  if (value.operationId !== undefined && value.operationId !== null && typeof value.operationId !== 'string') return '"operationId" must be a string or null';
  if (value.recordedAt !== undefined && typeof value.recordedAt !== 'string') return '"recordedAt" must be a string';
  if (value.durationMs !== undefined && typeof value.durationMs !== 'number') return '"durationMs" must be a number';
  if (value.violations !== undefined) {
    if (!Array.isArray(value.violations)) return '"violations" must be an array';
    for (const [i, v] of value.violations.entries()) {
      if (!isRecord(v) || typeof v.kind !== 'string' || typeof v.message !== 'string' || typeof v.path !== 'string')
        return `"violations[${i}]" must be an object with string "kind", "path" and "message"`;
    }
  }
  const request = value.request;
  if (!isRecord(request)) return '"request" must be an object';
  if (typeof request.method !== 'string' || request.method === '') return '"request.method" must be a non-empty string';
  if (typeof request.path !== 'string' || !request.path.startsWith('/')) return '"request.path" must be a string starting with "/"';
  const fieldsProblem = checkTexts(request.query, 'request.query') ?? checkTexts(request.headers, 'request.headers');
  if (fieldsProblem) return fieldsProblem;
  const bodyProblem = checkBody(request.body);
  if (bodyProblem) return `request.body: ${bodyProblem}`;
  const response = value.response;
  if (!isRecord(response)) return '"response" must be an object';
  if (typeof response.status !== 'number' || !Number.isInteger(response.status) || response.status < 100 || response.status > 599)
    return '"response.status" must be an HTTP status code';
  const headersProblem = checkTexts(response.headers, 'response.headers');
  if (headersProblem) return headersProblem;
  const responseBodyProblem = checkBody(response.body);
  if (responseBodyProblem) return `response.body: ${responseBodyProblem}`;
  return null;
}

/** Query parameters and headers: an object of strings or lists of strings. */
function checkTexts(value: unknown, name: string): string | null {
  if (!isRecord(value)) return `"${name}" must be an object`;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && !(Array.isArray(item) && item.every((x) => typeof x === 'string')))
      return `"${name}.${key}" must be a string or a list of strings`;
  }
  return null;
}

function checkBody(body: unknown): string | null {
  if (body === null || body === undefined) return null;
  if (!isRecord(body)) return 'must be an object or null';
  switch (body.kind) {
    case 'json':
      return 'value' in body ? null : '"value" is missing';
    case 'text':
    case 'base64':
      return typeof body.value === 'string' ? null : '"value" must be a string';
    case 'multipart':
      return isRecord(body.fields) && Array.isArray(body.files) ? null : '"fields" and "files" are required';
    default:
      return `unknown body kind ${JSON.stringify(body.kind)} (json, text, base64 or multipart)`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
