import { cassettePath } from '../cassette/cassette-name.js';
import { CassetteStore } from '../cassette/cassette-store.js';
import { parseRedactRule } from '../config/redact-rule.js';
import type { ListenConfig, ServerConfig } from '../config/server-config.js';
import { Engine } from '../engine/engine.js';
import { loadSpec } from '../spec/load-spec.js';
import { schemaValidatorFor } from '../spec/schema-validator.js';
import { AppwriteState } from '../state/appwrite-state.js';
import { VERSION } from '../version.js';

export interface OpenEngineOptions {
  /** Open the stateful fallback when the config asks for it, and list unused recordings in the summary (replay). */
  stateful?: boolean;
  /** Hears of a failed state write when it happens. */
  onStateWriteError?: (error: unknown) => void;
}

export interface OpenedEngine {
  engine: Engine;
  state: AppwriteState | null;
}

/** Loads the spec and builds the pipeline that `replay` and `record` share. */
export async function openEngine(
  config: ListenConfig & Partial<Pick<ServerConfig, 'fallback' | 'state' | 'seed'>>,
  options: OpenEngineOptions = {},
): Promise<OpenedEngine> {
  // A default cassette that leads out of the folder fails the start, not every request after it.
  cassettePath(config.cassettes, config.cassette);
  const spec = await loadSpec(config.spec);
  const state =
    options.stateful && config.fallback === 'stateful'
      ? await AppwriteState.open({ version: spec.version, file: config.state ?? null, seed: config.seed ?? null, onWriteError: options.onStateWriteError })
      : null;
  const engine = new Engine({
    spec,
    validator: await schemaValidatorFor(spec),
    store: new CassetteStore({ dir: config.cassettes, meta: { createdBy: `appwrite-vcr/${VERSION}`, specVersion: spec.version } }),
    cassette: config.cassette,
    strict: config.strict,
    storeFileLimit: config.storeFileLimit,
    redact: config.redact.map(parseRedactRule),
    idMap: config.idMap,
    fallback: config.fallback,
    matchIgnore: config.matchIgnore,
    failOnMiss: config.failOnMiss,
    reportUnused: options.stateful === true,
    state,
  });
  return { engine, state };
}

/** A fresh start between tests: the state back to its seed (or to nothing) and saved, every cassette back to its first recordings. */
export async function resetEngine({ engine, state }: OpenedEngine): Promise<void> {
  state?.reset();
  await Promise.all([state?.flush(), engine.rewind()]);
}
