import { resolveServerConfig } from '../config/server-config.js';
import type { Spec } from '../spec/load-spec.js';
import type { AppwriteState } from '../state/appwrite-state.js';
import { openEngine, resetEngine } from './open-engine.js';
import { serveEngine } from './serve-engine.js';

/** The stateful model `verify` sends recorded requests to: a replay server with no cassettes, and its state at hand. */
export interface VerifyServer {
  port: number;
  spec: Spec;
  state: AppwriteState;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the model on 127.0.0.1 on an ephemeral port, answering from an empty cassette folder. */
export async function startVerifyServer(emptyCassettes: string, spec: string | undefined): Promise<VerifyServer> {
  const config = resolveServerConfig({ cassettes: emptyCassettes, host: '127.0.0.1', port: 0, fallback: 'stateful', spec });
  const { engine, state } = await openEngine(config, { stateful: true });
  if (!state) throw new Error('the stateful fallback did not open');
  const running = await serveEngine(
    engine,
    (raw) => engine.handle(raw),
    config,
    {},
    () => state.close(),
  );
  return {
    port: running.port,
    spec: engine.spec,
    state,
    reset: () => resetEngine({ engine, state }),
    close: async () => {
      await running.close();
    },
  };
}
