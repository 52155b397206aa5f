import { cassettePath } from '../cassette/cassette-name.js';
import { CassetteStore } from '../cassette/cassette-store.js';
import { resolveServerConfig, type ServerConfig, type ServerOptions } from '../config/server-config.js';
import { Engine } from '../engine/engine.js';
import type { Summary } from '../engine/summary.js';
import { loadSpec, type Spec } from '../spec/load-spec.js';
import { SchemaValidator } from '../spec/schema-validator.js';
import { listen, type ExchangeEvent } from '../server/http-server.js';
import { AppwriteState } from '../state/appwrite-state.js';
import { resetRoute } from './reset-route.js';
import { VERSION } from '../version.js';

export interface StartServerOptions extends ServerOptions {
  /** Called after each answer (for logs); the library itself never prints. */
  onExchange?: (event: ExchangeEvent) => void;
  onError?: (error: unknown) => void;
}

export interface VcrServer {
  /** Base URL of the server, e.g. `http://127.0.0.1:4010`; the API is under `url + spec base path`. */
  url: string;
  /** The URL to give an Appwrite SDK's `setEndpoint`, e.g. `http://127.0.0.1:4010/v1`. */
  endpoint: string;
  port: number;
  config: ServerConfig;
  spec: Spec;
  summary(): Summary;
  /** Clears the stateful fallback back to its seed (or to nothing); what `POST /__vcr/reset` does. */
  reset(): Promise<void>;
  /** Stops accepting requests, waits for those under way, and returns the summary. */
  close(): Promise<Summary>;
}

/** Starts `appwrite-vcr replay` in this process, for use in a test runner's global setup. */
export async function startServer(options: StartServerOptions = {}): Promise<VcrServer> {
  const config = resolveServerConfig(options);
  // A default cassette that leads out of the folder fails the start, not every request after it.
  cassettePath(config.cassettes, config.cassette);
  const spec = await loadSpec(config.spec);
  const state = config.fallback === 'stateful' ? await AppwriteState.open({ version: spec.version, file: config.state, seed: config.seed }) : null;
  const reset = async (): Promise<void> => {
    state?.reset();
    await state?.flush();
  };
  const engine = new Engine({
    spec,
    validator: new SchemaValidator(spec.schemas),
    store: new CassetteStore({ dir: config.cassettes, meta: { createdBy: `appwrite-vcr/${VERSION}`, specVersion: spec.version } }),
    cassette: config.cassette,
    strict: config.strict,
    storeFileLimit: config.storeFileLimit,
    state,
  });
  const running = await listen(engine, (raw) => engine.handle(raw), {
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    adminToken: config.adminToken,
    onExchange: options.onExchange,
    onError: options.onError,
    admin: resetRoute(spec.version, reset),
  });
  return {
    url: running.url,
    endpoint: `${running.url}${spec.basePath}`,
    port: running.port,
    config: Object.freeze({ ...config, port: running.port }),
    spec,
    summary: () => structuredClone(engine.summary),
    reset,
    close: async () => {
      await running.close();
      await state?.flush();
      return structuredClone(engine.summary);
    },
  };
}
