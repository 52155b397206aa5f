import { CassetteStore } from '../cassette/cassette-store.js';
import { parseRedactRule } from '../config/redact-rule.js';
import type { ServerConfig } from '../config/server-config.js';
import { Engine } from '../engine/engine.js';
import { loadSpec } from '../spec/load-spec.js';
import { SchemaValidator } from '../spec/schema-validator.js';
import { VERSION } from '../version.js';

/** Loads the spec and builds the pipeline that `replay` and `record` share; `writeDelayMs` batches cassette writes. */
export async function openEngine(config: ServerConfig, writeDelayMs = 0): Promise<Engine> {
  const spec = await loadSpec(config.spec);
  return new Engine({
    spec,
    validator: new SchemaValidator(spec.schemas),
    store: new CassetteStore({ dir: config.cassettes, meta: { createdBy: `appwrite-vcr/${VERSION}`, specVersion: spec.version }, writeDelayMs }),
    cassette: config.cassette,
    strict: config.strict,
    storeFileLimit: config.storeFileLimit,
    redact: config.redact.map(parseRedactRule),
    idMap: config.idMap,
  });
}
