import type { VcrResponse } from '../model/exchange.js';
import { mediaTypeOf } from '../model/body.js';
import type { Finding } from '../model/finding.js';
import type { JsonSchema } from '../spec/json-schema.js';
import type { Operation } from '../spec/operation.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { explainKnownDeviations, type KnownDeviation } from './known-deviations.js';

/**
 * The shape of Appwrite's error answer. The spec's `error` model says `code` is a string;
 * the real server sends the HTTP status as an integer, and that is what conforms.
 */
const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    code: { type: 'integer' },
    type: { type: 'string' },
    version: { type: 'string' },
  },
  required: ['message', 'code', 'type', 'version'],
};

/**
 * Checks an answer against the operation's declared responses. Returns the findings, and apart from them
 * the known deviations of Appwrite's own server that the answer shows. Never throws.
 */
export function checkResponse(operation: Operation, response: VcrResponse, validator: SchemaValidator): { findings: Finding[]; deviations: KnownDeviation[] } {
  return explainKnownDeviations(operation, response, validator, contractFindings(operation, response, validator));
}

/** The findings of an answer, Appwrite's known deviations left out. Never throws. */
export function validateResponse(operation: Operation, response: VcrResponse, validator: SchemaValidator): Finding[] {
  return checkResponse(operation, response, validator).findings;
}

function contractFindings(operation: Operation, response: VcrResponse, validator: SchemaValidator): Finding[] {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], path: string, message: string, severity: Finding['severity'] = 'error', value?: unknown): void => {
    const finding: Finding = { kind, severity, side: 'response', operationId: operation.operationId, path, message };
    if (value !== undefined) finding.value = value;
    findings.push(finding);
  };
  const declared = operation.responses.get(response.status);
  const mediaType = mediaTypeOf(response.headers['content-type']);

  if (!declared) {
    if (response.status >= 400 && response.status <= 599) {
      checkError(response, validator, add);
    } else {
      add(
        'status-undeclared',
        '',
        `status ${response.status} is not declared by ${operation.operationId} (declared: ${[...operation.responses.keys()].join(', ') || 'none'})`,
        'error',
        response.status,
      );
    }
    return findings;
  }

  if (declared.content.size === 0) {
    if (response.status === 204 && response.body !== null) add('media-type-undeclared', '', 'a 204 answer must have no body');
    if ((response.status === 301 || response.status === 302) && !response.headers.location)
      add('required-missing', 'header.location', 'a redirect must carry a Location header');
    return findings;
  }
  // @note A 204 whose spec declares a body (an Appwrite quirk) may still arrive empty.
  if (response.status === 204 && response.body === null) return findings;

  const schema = declared.content.get(mediaType) ?? (mediaType === '' ? undefined : declared.content.get(wildcardOf(mediaType)));
  if (!schema) {
    add(
      'media-type-undeclared',
      '',
      `media type "${mediaType || '(none)'}" is not declared for status ${response.status} (declared: ${[...declared.content.keys()].join(', ')})`,
      'error',
      mediaType || null,
    );
    return findings;
  }
  if (response.body?.kind !== 'json') {
    add('type-mismatch', '', `body must be JSON, got ${response.body ? response.body.kind : 'nothing'}`);
    return findings;
  }
  for (const issue of validator.checker(schema)(response.body.value)) {
    // The issue is new for this call: extended in place (a spread copy would get a hidden class of its own).
    findings.push(Object.assign(issue, { side: 'response' as const, operationId: operation.operationId }));
  }
  return findings;
}

function checkError(
  response: VcrResponse,
  validator: SchemaValidator,
  add: (kind: Finding['kind'], path: string, message: string, severity?: Finding['severity'], value?: unknown) => void,
): void {
  const body = response.body;
  if (body?.kind !== 'json') {
    add('error-malformed', '', `error answer ${response.status} is not Appwrite's error JSON`);
    return;
  }
  const issues = validator.checker(ERROR_SCHEMA, { closed: false })(body.value);
  for (const issue of issues) add('error-malformed', issue.path, `error answer: ${issue.message}`, 'error', issue.value);
  const code = (body.value as { code?: unknown }).code;
  if (issues.length === 0 && code !== response.status)
    add('error-malformed', '/code', `error code ${String(code)} differs from the HTTP status ${response.status}`, 'error', code);
}

function wildcardOf(mediaType: string): string {
  const slash = mediaType.indexOf('/');
  return slash === -1 ? '*/*' : `${mediaType.slice(0, slash)}/*`;
}
