/**
 * Every event name Appwrite 1.5 publishes for one event template, in its order: the names with the IDs
 * filled in, then with `*` in their place, for the resource, its parents and the action
 * (`Event::parseEventPattern` and `Event::generateEvents`, src/Appwrite/Event/Event.php at 1.5.0).
 * `params` are the template's placeholders with their values, parents first, as Appwrite's controllers
 * set them. A subscriber sees the list as `data.events`; apps match on any of the names.
 */
export function eventNames(template: string, params: readonly (readonly [string, string])[]): string[] {
  const { patterns, nested } = patternsOf(template);
  const keys = params.map(([key]) => key);
  const fill = (pattern: string, starred: readonly string[]): string => {
    // @note As PHP's `str_replace` with arrays: the starred names first, then every name by its value, one after the other.
    let out = pattern;
    for (const key of starred) out = out.split(key).join('*');
    for (const [key, value] of params) out = out.split(key).join(value);
    return out;
  };
  const names: string[] = [];
  for (const pattern of patterns) {
    names.push(fill(pattern, []), fill(pattern, keys));
    for (const key of keys) {
      for (const current of keys) {
        if (nested) {
          for (const sub of keys) {
            if (sub === current || sub === key) continue;
            names.push(fill(pattern, [sub]), fill(pattern, [sub, current]), fill(pattern, [current]));
          }
        } else if (current !== key) {
          names.push(fill(pattern, [current]));
        }
      }
    }
  }
  return [...new Set(names.map((name) => name.replace(/[[\]]/g, '')))];
}

/** The patterns a template stands for, most specific first, without repeats; `nested` when it has a sub-sub-resource. */
function patternsOf(template: string): { patterns: string[]; nested: boolean } {
  const parts = template.split('.');
  const count = parts.length;
  const [type = '', resource = ''] = parts;
  const sub = count > 3 && (parts[3] ?? '').startsWith('[');
  const subSub = sub && count > 5 && (parts[5] ?? '').startsWith('[');
  let attribute: string | undefined;
  if (subSub && count === 8) attribute = parts[7];
  if (sub && !subSub && count === 6) attribute = parts[5];
  if (!sub && count === 4) attribute = parts[3];
  const action = !sub && count > 2 ? parts[2] : subSub ? parts[6] : sub && count > 4 ? parts[4] : undefined;
  const path = parts.slice(0, subSub ? 6 : sub ? 4 : 2);
  const patterns: string[] = [];
  if (action) {
    if (sub) {
      if (attribute) patterns.push([...path, action, attribute].join('.'));
      patterns.push([...path, action].join('.'), path.join('.'));
    } else {
      patterns.push([type, resource, action].join('.'));
    }
    if (attribute) patterns.push([type, resource, action, attribute].join('.'));
  }
  if (subSub) patterns.push(parts.slice(0, 6).join('.'));
  if (sub) patterns.push(parts.slice(0, 4).join('.'));
  patterns.push([type, resource].join('.'));
  return { patterns: [...new Set(patterns)], nested: subSub };
}
