import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRealtime, type Realtime } from '../realtime/create-realtime.js';
import type { Write } from '../realtime/realtime-event.js';
import { NO_DIRECTORY, stateDirectory } from '../realtime/state-directory.js';
import { writeOfCassette, writeOfStateChange } from '../realtime/writes.js';
import { resolveServerConfig, type ServerConfig, type ServerOptions } from '../config/server-config.js';
import type { ChangeListener } from '../state/change.js';
import type { ExchangeEvent } from '../server/http-server.js';
import { originRefusal } from '../server/cors.js';
import { openEngine, resetEngine } from './open-engine.js';
import { outboxRoute } from './outbox-route.js';
import { resetRoute } from './reset-route.js';
import type { OutboxMessage } from '../state/outbox.js';
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
  /** Open connections to `/v1/realtime`. */
  realtimeConnections(): number;
  /**
   * Every message a real Appwrite would have sent by email or SMS (verification, recovery, magic URL,
   * email and phone codes, MFA challenges, team invitations), newest last, with its secret or code and
   * link; what `GET /__vcr/outbox` lists. Empty with `fallback: 'schema'`; a reset clears it.
   */
  outbox(): OutboxMessage[];
}

function publish(realtime: Realtime, write: Write | null): void {
  if (write) realtime.publish([write]);
}

/** Starts `appwrite-vcr replay` in this process, for use in a test runner's global setup. */
export async function startServer(options: StartServerOptions = {}): Promise<VcrServer> {
  const config = resolveServerConfig(options);
  const { engine, state } = await openEngine(config, { stateful: true, onStateWriteError: options.onError });
  if (state && options.onStateChange) state.subscribe(options.onStateChange);
  const reset = (): Promise<void> => resetEngine({ engine, state });
  const realtime = createRealtime({
    directory: state ? stateDirectory(state) : NO_DIRECTORY,
    refuseOrigin: (headers) => originRefusal(headers, config.origins),
  });
  state?.subscribe((change) => publish(realtime, writeOfStateChange(change)));
  engine.onCassetteWrite((write) => publish(realtime, writeOfCassette(write)));
  const realtimePath = `${engine.spec.basePath}/realtime`;
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    if ((req.url ?? '').split('?')[0] !== realtimePath) return false;
    realtime.handleUpgrade(req, socket, head);
    return true;
  };
  const onClose = async (): Promise<void> => {
    realtime.close();
    await state?.close();
  };
  const outbox = (): OutboxMessage[] => state?.outbox.list() ?? [];
  const resetting = resetRoute(engine.spec.version, reset);
  const listing = outboxRoute(engine.spec.version, outbox);
  const admin = async (req: Parameters<typeof resetting>[0], res: Parameters<typeof resetting>[1]): Promise<boolean> =>
    listing(req, res) || (await resetting(req, res));
  try {
    const running = await serveEngine(engine, (raw) => engine.handle(raw), config, options, onClose, { admin, upgrade });
    return { ...running, reset, outbox, realtimeConnections: () => realtime.size };
  } catch (err) {
    realtime.close();
    await state?.close().catch(() => undefined);
    throw err;
  }
}
