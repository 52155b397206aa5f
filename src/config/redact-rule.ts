import { invalid } from './choices.js';

/** One step of a JSON path: a named key, any key or index, or a key at any depth. */
export type PathStep = { key: string } | { any: true } | { deep: string };

/** What `--redact` adds: a header name, or a JSON path into request and response bodies. */
export type RedactRule = { kind: 'header'; name: string } | { kind: 'json'; path: PathStep[]; source: string };

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const STEP = /^(?:\.\.([A-Za-z0-9_$-]+)|\.([A-Za-z0-9_$-]+)|\.\*|\[\*\]|\[(\d+)\])/;

/**
 * Parses a `--redact` value. `$.a.b`, `$..name` (any depth), `$.list[*].x` and `$.list[0]` are JSON paths
 * into bodies (JSON and multipart fields, both directions); anything else is a header name.
 */
export function parseRedactRule(text: string): RedactRule {
  if (!text.startsWith('$')) {
    if (!HEADER_NAME.test(text)) invalidRule(text, 'a header name (letters, digits, "-") or a JSON path starting with "$."');
    return { kind: 'header', name: text.toLowerCase() };
  }
  const path: PathStep[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (!step) invalidRule(text, `a JSON path: "${rest}" is none of ".key", "..key", ".*", "[*]", "[0]"`);
    if (step[1] !== undefined) path.push({ deep: step[1] });
    else if (step[2] !== undefined) path.push({ key: step[2] });
    else if (step[3] !== undefined) path.push({ key: step[3] });
    else path.push({ any: true });
    rest = rest.slice(step[0].length);
  }
  if (path.length === 0) invalidRule(text, 'a JSON path to something inside the body');
  return { kind: 'json', path, source: text };
}

/** The rule as text, normalised (header names in lower case): what a cassette's `meta.redact` lists. */
export function redactRuleText(rule: RedactRule): string {
  return rule.kind === 'header' ? rule.name : rule.source;
}

function invalidRule(text: string, reason: string): never {
  return invalid('redact', text, reason);
}
