import type { Operation } from './operation.js';

interface Node {
  statics: Map<string, Node>;
  param: { name: string; node: Node } | null;
  operations: Map<string, Operation>;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

function newNode(): Node {
  return { statics: new Map(), param: null, operations: new Map() };
}

/**
 * Finds the operation of a method and path in time proportional to the path's depth.
 * Static segments win over parameters; a dead end backtracks to the parameter branch.
 */
export class Router {
  readonly #root = newNode();

  add(operation: Operation): void {
    let node = this.#root;
    for (const segment of splitPath(operation.pathTemplate)) {
      const param = /^\{(.+)\}$/.exec(segment);
      if (param) {
        node.param ??= { name: param[1] ?? '', node: newNode() };
        node = node.param.node;
      } else {
        let next = node.statics.get(segment);
        if (!next) {
          next = newNode();
          node.statics.set(segment, next);
        }
        node = next;
      }
    }
    node.operations.set(operation.method, operation);
  }

  /** `path` is relative to the base path and already split; segments are still percent-encoded. */
  match(method: string, segments: readonly string[]): RouteMatch | null {
    const values: string[] = [];
    const names: string[] = [];
    const found = this.#walk(this.#root, segments, 0, method, values, names);
    if (!found) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i] as string] = safeDecode(values[i] as string);
    return { operation: found, params };
  }

  /** True when some method is routed at this path: used to tell 404 from a wrong method. */
  hasPath(segments: readonly string[]): boolean {
    return this.#walk(this.#root, segments, 0, null, [], []) !== null;
  }

  #walk(node: Node, segments: readonly string[], i: number, method: string | null, values: string[], names: string[]): Operation | null {
    if (i === segments.length) {
      if (method === null) return node.operations.values().next().value ?? null;
      return node.operations.get(method) ?? null;
    }
    const segment = segments[i] as string;
    const next = node.statics.get(segment);
    if (next) {
      const found = this.#walk(next, segments, i + 1, method, values, names);
      if (found) return found;
    }
    if (node.param && segment !== '') {
      values.push(segment);
      names.push(node.param.name);
      const found = this.#walk(node.param.node, segments, i + 1, method, values, names);
      if (found) return found;
      values.pop();
      names.pop();
    }
    return null;
  }
}

export function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
