/** The HTTP methods a path item may hold an operation for, in the order operations are listed. */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface FlatOperation extends Record<string, unknown> {
  path: string;
  method: string;
  parameters: unknown[];
  security: unknown[];
}

/**
 * Every operation of an OpenAPI document, one entry per path and method: the operation object with its
 * `path`, `method`, the path item's parameters after its own, and its security requirements (or the
 * document's when it names none). Paths in document order, methods in `METHODS` order.
 */
export function flattenOperations(doc: { paths: Record<string, unknown>; security?: unknown }): FlatOperation[] {
  const globalSecurity = Array.isArray(doc.security) ? doc.security : [];
  const out: FlatOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (item === null || typeof item !== 'object') continue;
    const pathItem = item as Record<string, unknown>;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (operation === null || typeof operation !== 'object') continue;
      const op = operation as Record<string, unknown>;
      out.push({
        ...op,
        path,
        method,
        parameters: [...(Array.isArray(op.parameters) ? op.parameters : []), ...shared],
        security: Array.isArray(op.security) ? op.security : globalSecurity,
      });
    }
  }
  return out;
}
