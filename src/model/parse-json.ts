/**
 * @note PHP's `json_decode` gives up past 512 levels of nesting, so Appwrite reads such a body as
 * no JSON at all. Refusing it here too also keeps the recursive steps that follow (request keys,
 * schema checks, cassette writes) within the call stack.
 */
export const MAX_JSON_DEPTH = 512;

export class JsonDepthError extends SyntaxError {
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** `JSON.parse` that throws a `SyntaxError` for documents nested deeper than `MAX_JSON_DEPTH`. */
export function parseJson(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): unknown {
  // Each level takes at least one character: a shorter text cannot be too deep.
  if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) throw new JsonDepthError();
  return JSON.parse(text, reviver);
}

/** The deepest nesting of `[` and `{` outside strings, counted in one pass over the text. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * What is wrong with a text that did not parse, without any of the text: V8's messages quote the start
 * of it (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`), and a file that is not what it
 * claims to be must not have its content echoed in an error answer or a log.
 */
export function jsonSyntaxProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^Unexpected token .*is not valid JSON$/s, 'unexpected token').replace(/^".*" is not valid JSON$/s, 'not valid JSON');
}
