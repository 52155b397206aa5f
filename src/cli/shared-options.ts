import type { Argv } from 'yargs';
import { DEFAULTS } from '../config/defaults.js';
import { isLoopbackHost } from '../config/loopback.js';
import { describeChoices } from '../config/choices.js';
import { FALLBACK_MODES, type FallbackMode } from '../config/server-config.js';
import type { ExchangeEvent } from '../server/http-server.js';
import { writeFile } from 'node:fs/promises';
import type { Summary } from '../engine/summary.js';
import { EXIT } from './exit-codes.js';
import { createReporter } from './reporter.js';

/** Flags shared by `replay` and `record`. */
export function serverOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('port', { type: 'number', default: DEFAULTS.port, describe: 'Port to listen on (0 picks a free one)' })
    .option('host', { type: 'string', default: DEFAULTS.host, describe: 'Address to bind; anything but loopback prints a warning' })
    .option('spec', { type: 'string', describe: 'OpenAPI spec, JSON or YAML (default: the pinned Appwrite 1.5.0 spec)' })
    .option('cassettes', { type: 'string', default: DEFAULTS.cassettes, describe: 'Folder of cassette files' })
    .option('cassette', { type: 'string', default: DEFAULTS.cassette, describe: 'Cassette used when a request sends no X-Vcr-Cassette header' })
    .option('strict', { type: 'boolean', default: DEFAULTS.strict, describe: 'Answer 502 instead of a response that violates the contract' })
    .option('max-body', { type: 'number', default: DEFAULTS.maxBodyBytes, describe: 'Largest request body accepted, in bytes (413 above)' })
    .option('store-file-limit', {
      type: 'number',
      default: DEFAULTS.storeFileLimit,
      describe: 'Largest uploaded file part whose bytes a cassette keeps (base64), in bytes',
    })
    .option('redact', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'More to redact: a header name, or a JSON path into bodies ($.a.b, $..name); give replay the same list',
    })
    .option('match-ignore', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe:
        'Leave out of matching what changes on every run: a JSON path into request bodies ($.data.updatedAt, $..nonce) or query:NAME; record notes it in the cassette',
    })
    .option('fail-on-miss', { type: 'boolean', default: false, describe: 'Exit with 3 at shutdown when a request matched no recording (whatever answered it)' })
    .option('summary-json', { type: 'string', describe: 'Write the shutdown summary (misses, unused recordings) to this JSON file, for prune' })
    .option('id-map', { type: 'boolean', default: true, describe: 'Pair client-generated IDs (ID.unique()) with recorded ones; --no-id-map turns it off' })
    .option('request-timeout', { type: 'number', default: DEFAULTS.requestTimeoutMs, describe: 'Milliseconds a request may take to arrive whole (408 after)' })
    .option('admin-token', {
      type: 'string',
      describe:
        'Token that opens the /__vcr/ admin routes (header X-Vcr-Admin-Token; without one they need X-Vcr-Admin: 1 from this machine); prefer the APPWRITE_VCR_ADMIN_TOKEN variable, a flag shows in the process list',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'Log only requests with violations' })
    .option('silent', { type: 'boolean', default: false, describe: 'Log no request at all, only the start line and the summary' });
}

/** The flags of `serverOptions` as library options. */
export function serverFlags(args: {
  port: number;
  host: string;
  spec?: string;
  cassettes: string;
  cassette: string;
  strict: boolean;
  maxBody: number;
  storeFileLimit: number;
  redact: string[];
  matchIgnore: string[];
  failOnMiss: boolean;
  idMap: boolean;
  requestTimeout: number;
  adminToken?: string;
}) {
  const { port, host, spec, cassettes, cassette, strict, maxBody, storeFileLimit, redact, matchIgnore, failOnMiss, idMap, requestTimeout } = args;
  return {
    port,
    host,
    spec,
    cassettes,
    cassette,
    strict,
    maxBodyBytes: maxBody,
    storeFileLimit,
    redact,
    matchIgnore,
    failOnMiss,
    idMap,
    requestTimeoutMs: requestTimeout,
    adminToken: adminToken(args.adminToken),
  };
}

/** The admin token from the flag, else from `APPWRITE_VCR_ADMIN_TOKEN`; none when both are empty. */
function adminToken(flag: string | undefined): string | null {
  const token = flag ?? process.env.APPWRITE_VCR_ADMIN_TOKEN;
  return token === undefined || token === '' ? null : token;
}

/** The terminal reporter of a server command, with its hooks; warns when the address is not loopback. */
export function serverReporter(args: { quiet: boolean; silent: boolean; host: string; adminToken?: string }) {
  const reporter = createReporter({ quiet: args.quiet, silent: args.silent });
  if (!isLoopbackHost(args.host))
    reporter.warn(
      `binding ${args.host}: anyone who can reach this address can use the server${adminToken(args.adminToken) ? '' : '; the /__vcr/ admin routes stay off without --admin-token'}`,
    );
  const hooks = {
    onExchange: (event: ExchangeEvent) => reporter.exchange(event),
    onError: (error: unknown) => reporter.error(String((error as Error)?.stack ?? error)),
  };
  return { reporter, hooks };
}

/** Flags of `replay` only: how a request no cassette holds is answered. */
export function fallbackOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('fallback', {
      type: 'string',
      default: DEFAULTS.fallback as string,
      describe: `What answers a request no cassette holds: ${describeChoices(FALLBACK_MODES)}`,
    })
    .option('state', { type: 'string', describe: 'File the stateful fallback persists to across restarts' })
    .option('seed', { type: 'string', describe: 'State file to start from (and to go back to on POST /__vcr/reset)' })
    .option('origins', {
      type: 'string',
      describe: 'Comma-separated origins or host names of web apps allowed to write without a key (default: any); others get 403 general_unknown_origin',
    });
}

/** The parsed flags of `replay` (and of `doctor`, which shows what replay would use). */
export type ReplayArgs =
  ReturnType<typeof fallbackOptions<ReturnType<typeof serverOptions> extends Argv<infer T> ? T : never>> extends Argv<infer U> ? U : never;

/** The flags of `serverOptions` and `fallbackOptions` as the options of `startServer`. */
export function replayFlags(args: Parameters<typeof serverFlags>[0] & { fallback: string; state?: string; seed?: string; origins?: string }) {
  const origins = (args.origins ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  return { ...serverFlags(args), fallback: args.fallback as FallbackMode, state: args.state ?? null, seed: args.seed ?? null, origins };
}

/**
 * Prints the summary, writes it to `--summary-json` when asked, and gives the exit code: 3 when the
 * summary says the run failed (`--fail-on-miss` and a request missed).
 */
export async function reportSummary(reporter: ReturnType<typeof createReporter>, summary: Summary, file: string | undefined): Promise<number> {
  reporter.summary(summary);
  if (file !== undefined) {
    await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
    reporter.info(`  summary written to ${file}`);
  }
  return summary.failed ? EXIT.misses : EXIT.ok;
}
