import { readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { DEFAULT_SPEC, PACKAGE_ROOT } from '../config/defaults.js';
import { resolveServerConfig, type ServerConfig, type ServerOptions } from '../config/server-config.js';
import { isVcrError } from '../errors/vcr-error.js';
import { listCassetteFiles } from '../lint/list-cassette-files.js';
import { loadSpec } from '../spec/load-spec.js';
import { schemaValidatorFor } from '../spec/schema-validator.js';
import { sha256Of, specPin, type SpecPin } from '../spec/spec-pin.js';
import { VERSION } from '../version.js';

/** What a bug report needs to know about the spec a server would use. */
export interface SpecDiagnosis {
  file: string;
  /** True for the spec that ships with the package (the default). */
  bundled: boolean;
  /** What `spec/pin.json` pins, null when it cannot be read. */
  pin: SpecPin | null;
  /** The sha256 of the file's bytes; null when it cannot be read. */
  sha256: string | null;
  /** The file is byte for byte the pinned spec. */
  verified: boolean;
  /** `info.title`, `info.version` and the operation count, when the spec loads. */
  title: string | null;
  version: string | null;
  operations: number | null;
}

/** The environment and the resolved options of `replay`, as one value (the library prints nothing). */
export interface Diagnosis {
  version: string;
  packageRoot: string;
  node: { version: string; execPath: string };
  os: { platform: string; release: string; arch: string };
  spec: SpecDiagnosis;
  /** The cassettes folder: whether it exists yet, and how many cassette files it holds (null when it cannot be read). */
  cassettes: { dir: string; exists: boolean; files: number | null };
  /** The options `replay` would run with; the admin token only says whether one is set. */
  options: Readonly<Omit<ServerConfig, 'adminToken'> & { adminToken: boolean }>;
  /** What would stop `replay` from starting, or make its answers wrong; empty when all is well. */
  problems: readonly string[];
}

/** Checks what `replay` with these options would load, without starting it. Throws `VcrError` for an invalid option. */
export async function diagnose(options: ServerOptions = {}): Promise<Diagnosis> {
  const config = resolveServerConfig(options);
  const problems: string[] = [];
  const spec = await diagnoseSpec(config.spec, problems);
  let files: number | null = null;
  let exists = true;
  try {
    files = (await listCassetteFiles(config.cassettes)).length;
  } catch (err) {
    // A folder that does not exist yet is fine: replay starts empty and record creates it.
    exists = (err as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT';
    if (exists) problems.push((err as Error).message);
  }
  return Object.freeze({
    version: VERSION,
    packageRoot: PACKAGE_ROOT,
    node: { version: process.version, execPath: process.execPath },
    os: { platform: platform(), release: release(), arch: arch() },
    spec,
    cassettes: { dir: config.cassettes, exists, files },
    options: Object.freeze({ ...config, adminToken: config.adminToken !== null }),
    problems: Object.freeze(problems),
  });
}

async function diagnoseSpec(file: string, problems: string[]): Promise<SpecDiagnosis> {
  const pin = specPin();
  const found: SpecDiagnosis = { file, bundled: file === DEFAULT_SPEC, pin, sha256: null, verified: false, title: null, version: null, operations: null };
  try {
    found.sha256 = sha256Of(await readFile(file));
    found.verified = pin !== null && found.sha256 === pin.sha256;
  } catch {
    // Unreadable: loading it below says why, and how to fix it.
  }
  try {
    // The same steps as a start: the file's checks, then its schemas (for any spec but the pinned one).
    const spec = await loadSpec(file);
    await schemaValidatorFor(spec);
    found.title = spec.title;
    found.version = spec.version;
    found.operations = spec.operations.length;
  } catch (err) {
    problems.push(isVcrError(err) ? err.message : String(err));
  }
  return Object.freeze(found);
}
