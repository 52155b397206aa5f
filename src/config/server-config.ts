import { resolve } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';
import { choose, invalid, type Choices } from './choices.js';
import { ADMIN_TOKEN_MIN_LENGTH, DEFAULT_SPEC, DEFAULTS } from './defaults.js';
import { parseMatchIgnoreRule } from './match-ignore-rule.js';
import { parseRedactRule } from './redact-rule.js';

/** Options that replay and record share, mirroring the CLI flags. Every one is optional. */
export interface ListenOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** OpenAPI spec file (JSON or YAML). Default: the pinned Appwrite 1.5.0 spec. */
  spec?: string;
  /** Folder of cassette files. Default `cassettes` in the working directory. */
  cassettes?: string;
  /** Cassette used when a request names none with `X-Vcr-Cassette`. Default `default`. */
  cassette?: string;
  /** Answer 502 instead of a response that violates the contract. */
  strict?: boolean;
  /** Largest request body accepted, in bytes. Default 100 MiB. */
  maxBodyBytes?: number;
  /** File parts up to this many bytes keep their content in a cassette. Default 1 MiB. */
  storeFileLimit?: number;
  /** A request not received whole within this many milliseconds gets 408 (slow clients hold no connection for ever). Default 60 s. */
  requestTimeoutMs?: number;
  /** Token that opens the `/__vcr/` admin routes (header `X-Vcr-Admin-Token`); without one they answer loopback peers of a loopback bind only. */
  adminToken?: string | null;
  /** More values to redact: header names, or JSON paths into bodies (`$.a.b`, `$..name`). Replay also applies the rules each cassette lists in `meta.redact`. */
  redact?: readonly string[];
  /** Pair client-generated IDs (`ID.unique()`) with the recorded ones when replaying. Default true. */
  idMap?: boolean;
  /**
   * Origins (`http://localhost:5173`) or host names (`localhost`) of the web apps allowed to write without a
   * key, as an Appwrite project's registered platforms are; a write from any other is 403 `general_unknown_origin`.
   * Default: none, which accepts every origin.
   */
  origins?: readonly string[];
  /**
   * What matching leaves out: JSON paths into request bodies (`$.data.updatedAt`, `$..nonce`) and query
   * parameters (`query:NAME`). A recorder notes them in each cassette's `meta.matchIgnore`, which replay applies too.
   */
  matchIgnore?: readonly string[];
  /** `summary().failed` (and the CLI's exit code 3) when a request matched no recording. Default false. */
  failOnMiss?: boolean;
}

/** Options of `startServer` (replay): the shared ones, and how what no cassette holds is answered. */
export interface ServerOptions extends ListenOptions {
  /** `stateful` (default), `schema` or `none`: how a request no cassette holds is answered. */
  fallback?: FallbackMode;
  /** File the stateful fallback persists to across restarts; null keeps it in memory. */
  state?: string | null;
  /** State file loaded as the starting state (and on every reset) when there is no saved state. */
  seed?: string | null;
}

export type ListenConfig = Readonly<Required<ListenOptions>>;
export type ServerConfig = Readonly<Required<ServerOptions>>;

/** How replay answers a request no cassette holds. */
export const FALLBACK_MODES = {
  stateful: 'like Appwrite: what the run created is read back, listed, queried, updated and deleted; the schema answers the rest',
  schema: 'every answer generated from the response schema',
  none: 'a request no recording matches gets a vcr_cassette_miss error (510) saying why',
} as const satisfies Choices<string>;
export type FallbackMode = keyof typeof FALLBACK_MODES;

/** Fills defaults, checks every value, and freezes the result. */
export function resolveServerConfig(options: ServerOptions = {}): ServerConfig {
  const config = {
    ...resolveListenConfig(options),
    fallback: options.fallback ?? DEFAULTS.fallback,
    state: options.state ? resolve(options.state) : null,
    seed: options.seed ? resolve(options.seed) : null,
  };
  choose('fallback', config.fallback, FALLBACK_MODES);
  if (config.fallback !== 'stateful' && (config.state || config.seed))
    invalid(config.state ? 'state' : 'seed', config.state ?? config.seed, 'usable without --fallback stateful');
  return Object.freeze(config);
}

/** The options replay and record share: defaults filled, every value checked, frozen. */
export function resolveListenConfig(options: ListenOptions = {}): ListenConfig {
  const config = {
    port: options.port ?? DEFAULTS.port,
    host: options.host ?? DEFAULTS.host,
    spec: resolve(options.spec ?? DEFAULT_SPEC),
    cassettes: resolve(options.cassettes ?? DEFAULTS.cassettes),
    cassette: options.cassette ?? DEFAULTS.cassette,
    strict: options.strict ?? DEFAULTS.strict,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    storeFileLimit: options.storeFileLimit ?? DEFAULTS.storeFileLimit,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    adminToken: options.adminToken ?? null,
    redact: Object.freeze([...(options.redact ?? [])]),
    idMap: options.idMap ?? true,
    origins: Object.freeze([...(options.origins ?? [])]),
    matchIgnore: Object.freeze([...(options.matchIgnore ?? [])]),
    failOnMiss: options.failOnMiss ?? false,
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) invalid('port', config.port, 'an integer from 0 to 65535');
  if (typeof config.host !== 'string' || config.host === '') invalid('host', config.host, 'an address or host name');
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes < 1) invalid('maxBodyBytes', config.maxBodyBytes, 'a positive number of bytes');
  if (!Number.isInteger(config.storeFileLimit) || config.storeFileLimit < 0) invalid('storeFileLimit', config.storeFileLimit, 'a number of bytes, 0 or more');
  if (!Number.isInteger(config.requestTimeoutMs) || config.requestTimeoutMs < 1)
    invalid('requestTimeoutMs', config.requestTimeoutMs, 'a positive number of milliseconds');
  if (config.adminToken !== null && (typeof config.adminToken !== 'string' || config.adminToken.length < ADMIN_TOKEN_MIN_LENGTH)) {
    // The token itself stays out of the message: it would end up in a log.
    throw new VcrError('CONFIG_INVALID', `Failed to use option "adminToken": the token must be a string of at least ${ADMIN_TOKEN_MIN_LENGTH} characters`, {
      option: 'adminToken',
    });
  }
  if (typeof config.idMap !== 'boolean') invalid('idMap', config.idMap, 'true or false');
  for (const rule of config.redact) parseRedactRule(rule);
  for (const origin of config.origins) if (typeof origin !== 'string' || origin.trim() === '') invalid('origins', origin, 'an origin or a host name');
  for (const rule of config.matchIgnore) parseMatchIgnoreRule(rule);
  if (typeof config.failOnMiss !== 'boolean') invalid('failOnMiss', config.failOnMiss, 'true or false');
  return Object.freeze(config);
}
