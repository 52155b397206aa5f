import { resolveServerConfig, type ServerConfig, type ServerOptions } from '../config/server-config.js';
import type { ExchangeEvent } from '../server/http-server.js';
import { openEngine } from './open-engine.js';
import { serveEngine, type RunningVcr } from './serve-engine.js';

/** What a running server reports; the library itself never prints. */
export interface ServerHooks {
  /** Called after each answer (for logs). */
  onExchange?: (event: ExchangeEvent) => void;
  /** Failures of the tool itself. */
  onError?: (error: unknown) => void;
}

export interface StartServerOptions extends ServerOptions, ServerHooks {}

/** A running `replay` server. */
export type VcrServer = RunningVcr<ServerConfig>;

/** Starts `appwrite-vcr replay` in this process, for use in a test runner's global setup. */
export async function startServer(options: StartServerOptions = {}): Promise<VcrServer> {
  const config = resolveServerConfig(options);
  const engine = await openEngine(config);
  return serveEngine(engine, (raw) => engine.handle(raw), config, options);
}
