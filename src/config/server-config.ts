import { resolve } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';
import { DEFAULT_SPEC, DEFAULTS } from './defaults.js';
import { parseRedactRule } from './redact-rule.js';

/** Options of `startServer`, mirroring the CLI flags. Every one is optional. */
export interface ServerOptions {
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
  /** More values to redact: header names, or JSON paths into bodies (`$.a.b`, `$..name`). Replay needs the same list as record to match. */
  redact?: readonly string[];
  /** Pair client-generated IDs (`ID.unique()`) with the recorded ones when replaying. Default true. */
  idMap?: boolean;
}

export type ServerConfig = Readonly<Required<ServerOptions>>;

/** Fills defaults, checks every value, and freezes the result. */
export function resolveServerConfig(options: ServerOptions = {}): ServerConfig {
  const config = {
    port: options.port ?? DEFAULTS.port,
    host: options.host ?? DEFAULTS.host,
    spec: resolve(options.spec ?? DEFAULT_SPEC),
    cassettes: resolve(options.cassettes ?? DEFAULTS.cassettes),
    cassette: options.cassette ?? DEFAULTS.cassette,
    strict: options.strict ?? DEFAULTS.strict,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    storeFileLimit: options.storeFileLimit ?? DEFAULTS.storeFileLimit,
    redact: Object.freeze([...(options.redact ?? [])]),
    idMap: options.idMap ?? true,
  };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) invalid('port', config.port, 'an integer from 0 to 65535');
  if (typeof config.host !== 'string' || config.host === '') invalid('host', config.host, 'an address or host name');
  if (!Number.isInteger(config.maxBodyBytes) || config.maxBodyBytes < 1) invalid('maxBodyBytes', config.maxBodyBytes, 'a positive number of bytes');
  if (!Number.isInteger(config.storeFileLimit) || config.storeFileLimit < 0) invalid('storeFileLimit', config.storeFileLimit, 'a number of bytes, 0 or more');
  if (typeof config.idMap !== 'boolean') invalid('idMap', config.idMap, 'true or false');
  for (const rule of config.redact) parseRedactRule(rule);
  return Object.freeze(config);
}

/** Throws the config error for one option. */
export function invalid(name: string, value: unknown, expected: string): never {
  throw new VcrError('CONFIG_INVALID', `Failed to use option "${name}": ${JSON.stringify(value)} is not ${expected}`, { option: name });
}
