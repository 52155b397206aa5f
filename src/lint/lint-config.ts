import { DEFAULT_SPEC, DEFAULTS } from '../config/defaults.js';
import { parseFailOn } from './fail-on.js';
import type { FailOn } from './lint-report.js';

export interface LintConfigOptions {
  /** Folder of cassette files, searched recursively (default `cassettes`). */
  cassettes?: string;
  /** OpenAPI spec to lint against, JSON or YAML (default: the pinned Appwrite 1.5.0 spec). */
  spec?: string;
  /** `error` (default), `warning` or `never`. */
  failOn?: string;
}

export interface LintConfig {
  readonly cassettes: string;
  readonly spec: string;
  readonly failOn: FailOn;
}

/** Resolved once, validated, frozen. */
export function resolveLintConfig(options: LintConfigOptions): LintConfig {
  return Object.freeze({
    cassettes: options.cassettes ?? DEFAULTS.cassettes,
    spec: options.spec ?? DEFAULT_SPEC,
    failOn: parseFailOn(options.failOn ?? 'error'),
  });
}
