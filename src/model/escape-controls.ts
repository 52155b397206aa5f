/** C0 and C1 control characters and DEL: what a terminal may take as a command (a title, a screen clear). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text that came from a file or a request, safe to print: each control character as `\u00XX`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of a plain value with every string in it (keys too) passed through `escapeControls`. */
export function escapeControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeControlsDeep(item)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[escapeControls(key)] = escapeControlsDeep(child);
  return out as T;
}
