import type { Body, VcrRequest, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import { sample } from '../spec/schema-validator.js';

/**
 * Findings as a cassette stores them: each `value` read again from the redacted exchange, so that a
 * secret that fails validation (a provider credential sent as a string where the spec wants an object)
 * is stored as the placeholder it became, never as it was sent. A value the redacted exchange does
 * not hold at the finding's path is dropped.
 */
export function storedFindings(findings: readonly Finding[], request: VcrRequest, response: VcrResponse): Finding[] {
  return findings.map((finding) => {
    if (!('value' in finding)) return finding;
    const copy: Finding = Object.assign({}, finding);
    delete copy.value;
    const value = finding.side === 'request' ? requestValueAt(request, finding.path) : bodyValueAt(response.body, finding.path);
    if (value !== undefined) copy.value = sample(value);
    return copy;
  });
}

function requestValueAt(request: VcrRequest, path: string): unknown {
  if (path.startsWith('query.')) return request.query[path.slice('query.'.length)];
  if (path.startsWith('header.')) return request.headers[path.slice('header.'.length)];
  return bodyValueAt(request.body, path);
}

/** The value at a JSON pointer of a stored body (JSON, or a multipart body's fields). */
function bodyValueAt(body: Body | null, pointer: string): unknown {
  if (body === null || (body.kind !== 'json' && body.kind !== 'multipart')) return undefined;
  let node: unknown = body.kind === 'json' ? body.value : body.fields;
  if (pointer === '') return node;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
