import { invalid } from './choices.js';
import { parseRedactRule, type PathStep } from './redact-rule.js';

/** What `--match-ignore` leaves out of a request's identity: a JSON path into the body, or a query parameter. */
export type MatchIgnoreRule = { kind: 'json'; path: PathStep[]; source: string } | { kind: 'query'; name: string; source: string };

/**
 * Parses a `--match-ignore` value: `$.data.updatedAt`, `$..nonce`, `$.list[*].at` (the JSON paths of
 * `--redact`) or `query:NAME`. The text is kept as given: it is what a cassette's `meta.matchIgnore` lists.
 */
export function parseMatchIgnoreRule(text: string): MatchIgnoreRule {
  if (typeof text === 'string' && text.startsWith('query:') && text.length > 'query:'.length)
    return { kind: 'query', name: text.slice('query:'.length), source: text };
  if (typeof text !== 'string' || !text.startsWith('$')) invalidRule(text, 'a JSON path into the body ($.data.updatedAt, $..nonce) or query:NAME');
  try {
    const rule = parseRedactRule(text);
    if (rule.kind === 'json') return { kind: 'json', path: rule.path, source: text };
  } catch (err) {
    invalidRule(text, (err as Error).message.replace(/^.*? is not /, ''));
  }
  invalidRule(text, 'a JSON path into the body');
}

function invalidRule(text: unknown, reason: string): never {
  return invalid('matchIgnore', text, reason);
}
