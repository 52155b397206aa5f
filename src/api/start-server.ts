import { resolveServerConfig, type ServerConfig, type ServerOptions } from '../config/server-config.js';
import type { ChangeListener } from '../state/change.js';
import type { ExchangeEvent } from '../server/http-server.js';
import { openEngine } from './open-engine.js';
import { resetRoute } from './reset-route.js';
import { serveEngine, type RunningVcr } from './serve-engine.js';

/** What a running server reports; the library itself never prints. */
export interface ServerHooks {
  /** Called after each answer (for logs). */
  onExchange?: (event: ExchangeEvent) => void;
  /** Failures of the tool itself. */
  onError?: (error: unknown) => void;
}

export interface StartServerOptions extends ServerOptions, ServerHooks {
  /** Called after each request that changed the stateful fallback, with every resource it created, updated or deleted. */
  onStateChange?: ChangeListener;
}

/** A running `replay` server. */
export interface VcrServer extends RunningVcr<ServerConfig> {
  /**
   * A fresh start between tests; what `POST /__vcr/reset` does: the stateful fallback back to its seed
   * (or to nothing), every cassette back to its first recordings (re-read if its file changed), client
   * ID pairs forgotten.
   */
  reset(): Promise<void>;
}

/** Starts `appwrite-vcr replay` in this process, for use in a test runner's global setup. */
export async function startServer(options: StartServerOptions = {}): Promise<VcrServer> {
  const config = resolveServerConfig(options);
  const { engine, state } = await openEngine(config, { stateful: true, onStateWriteError: options.onError });
  if (state && options.onStateChange) state.subscribe(options.onStateChange);
  const reset = async (): Promise<void> => {
    state?.reset();
    await Promise.all([state?.flush(), engine.rewind()]);
  };
  try {
    const running = await serveEngine(engine, (raw) => engine.handle(raw), config, options, async () => state?.close(), { admin: resetRoute(engine.spec.version, reset) });
    return { ...running, reset };
  } catch (err) {
    await state?.close().catch(() => undefined);
    throw err;
  }
}
