import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on its first use, synchronously. Every start pays for what it imports,
 * and most runs never need the WebSocket server, the multipart parser, the GraphQL parser or the proxy.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
