import type { Argv } from 'yargs';
import { DEFAULTS } from '../config/defaults.js';
import { FALLBACK_MODES } from '../config/server-config.js';

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
    .option('request-timeout', { type: 'number', default: DEFAULTS.requestTimeoutMs, describe: 'Milliseconds a request may take to arrive whole (408 after)' })
    .option('admin-token', { type: 'string', describe: 'Token that opens the /__vcr/ admin routes (header X-Vcr-Admin-Token); prefer the APPWRITE_VCR_ADMIN_TOKEN variable, a flag shows in the process list' })
    .option('quiet', { type: 'boolean', default: false, describe: 'Log only requests with violations' });
}

/** The admin token from the flag, else from `APPWRITE_VCR_ADMIN_TOKEN`; none when both are empty. */
export function adminToken(flag: string | undefined): string | null {
  const token = flag ?? process.env.APPWRITE_VCR_ADMIN_TOKEN;
  return token === undefined || token === '' ? null : token;
}

export { isLoopbackHost as isLoopback } from '../config/loopback.js';

/** Flags of `replay` only: how a request no cassette holds is answered. */
export function fallbackOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('fallback', { type: 'string', default: DEFAULTS.fallback as string, describe: `What answers a request no cassette holds: ${Object.keys(FALLBACK_MODES).join(' | ')} (stateful: like Appwrite, for what the run created)` })
    .option('state', { type: 'string', describe: 'File the stateful fallback persists to across restarts' })
    .option('seed', { type: 'string', describe: 'State file to start from (and to go back to on POST /__vcr/reset)' });
}
