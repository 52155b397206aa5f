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

  /**
   * `path` from `from` on is the path relative to the base path (`/users/ada`); segments are still
   * percent-encoded. Walked in place: no list of segments is made.
   */
  match(method: string, path: string, from = 0): RouteMatch | null {
    const start = path.charCodeAt(from) === 47 /* / */ ? from + 1 : from;
    const values: string[] = [];
    const names: string[] = [];
    const found = start >= path.length ? (this.#root.operations.get(method) ?? null) : this.#walk(this.#root, path, start, method, values, names);
    if (!found) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i] as string] = safeDecode(values[i] as string);
    return { operation: found, params };
  }

  /** The segment of `path` at `start` runs to the next `/`; after the last one, the node's operations answer. */
  #walk(node: Node, path: string, start: number, method: string, values: string[], names: string[]): Operation | null {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    const segment = path.slice(start, end);
    const next = node.statics.get(segment);
    if (next) {
      const found = slash === -1 ? (next.operations.get(method) ?? null) : this.#walk(next, path, end + 1, method, values, names);
      if (found) return found;
    }
    if (node.param && segment !== '') {
      values.push(segment);
      names.push(node.param.name);
      const child = node.param.node;
      const found = slash === -1 ? (child.operations.get(method) ?? null) : this.#walk(child, path, end + 1, method, values, names);
      if (found) return found;
      values.pop();
      names.pop();
    }
    return null;
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
