import type { ListenConfig } from '../config/server-config.js';
import type { Engine } from '../engine/engine.js';
import type { Summary } from '../engine/summary.js';
import { listen, type Handle, type HttpServerOptions } from '../server/http-server.js';
import type { Spec } from '../spec/load-spec.js';
import type { ServerHooks } from './start-server.js';

/** A running `replay` or `record` server. */
export interface RunningVcr<C extends ListenConfig> {
  /** Base URL of the server, e.g. `http://127.0.0.1:4010`; the API is under `url + spec base path`. */
  url: string;
  /** The URL to give an Appwrite SDK's `setEndpoint`, e.g. `http://127.0.0.1:4010/v1`. */
  endpoint: string;
  port: number;
  config: C;
  spec: Spec;
  summary(): Summary;
  /** Stops accepting requests, waits for those under way (and `onClose`), and returns the summary. */
  close(): Promise<Summary>;
}

/** What a server adds to the shared pipeline: the admin routes (replay), connection upgrades (record). */
export type ServeExtras = Pick<HttpServerOptions, 'admin' | 'upgrade'>;

/** Puts an engine's handler on a socket as the config says; `onClose` runs after the last request. */
export async function serveEngine<C extends ListenConfig>(
  engine: Engine,
  handle: Handle,
  config: C,
  hooks: ServerHooks,
  onClose?: () => Promise<void>,
  extras: ServeExtras = {},
): Promise<RunningVcr<C>> {
  const running = await listen(engine, handle, {
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    adminToken: config.adminToken,
    origins: config.origins,
    onExchange: hooks.onExchange,
    onError: hooks.onError,
    ...extras,
  });
  return {
    url: running.url,
    endpoint: `${running.url}${engine.spec.basePath}`,
    port: running.port,
    config: Object.freeze({ ...config, port: running.port }),
    spec: engine.spec,
    summary: () => engine.report(),
    close: async () => {
      await running.close();
      await onClose?.();
      return engine.report();
    },
  };
}
