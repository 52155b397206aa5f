import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { startServer } from '../../api/start-server.js';
import { createReporter } from '../reporter.js';
import type { FallbackMode } from '../../config/server-config.js';
import { adminToken, fallbackOptions, isLoopback, serverOptions } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';

type ReplayArgs = ReturnType<typeof fallbackOptions<ReturnType<typeof serverOptions> extends Argv<infer T> ? T : never>> extends Argv<infer U> ? U : never;

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Serve cassettes; answer what no cassette holds from the schema',
  builder: (yargs) => fallbackOptions(serverOptions(yargs)),
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const reporter = createReporter({ quiet: args.quiet });
    const token = adminToken(args.adminToken);
    if (!isLoopback(args.host)) reporter.warn(`binding ${args.host}: anyone who can reach this address can use the server${token ? '' : '; the /__vcr/ admin routes stay off without --admin-token'}`);
    const server = await startServer({
      port: args.port,
      host: args.host,
      spec: args.spec,
      cassettes: args.cassettes,
      cassette: args.cassette,
      strict: args.strict,
      maxBodyBytes: args.maxBody,
      requestTimeoutMs: args.requestTimeout,
      adminToken: token,
      fallback: args.fallback as FallbackMode,
      state: args.state ?? null,
      seed: args.seed ?? null,
      onExchange: (event) => reporter.exchange(event),
      onError: (error) => reporter.error(String((error as Error)?.stack ?? error)),
    });
    // Listening for signals before the address is printed: whoever reads it may stop the server at once.
    const stopped = runUntilSignal(async () => reporter.summary(await server.close()));
    reporter.info(`appwrite-vcr replay: ${server.spec.title} ${server.spec.version} (${server.spec.operations.length} operations) at ${server.endpoint}`);
    reporter.info(`  cassettes ${server.config.cassettes}, default cassette "${server.config.cassette}"${server.config.strict ? ', strict' : ''}, fallback ${server.config.fallback}${server.config.state ? ` (state ${server.config.state})` : ''}`);
    await stopped;
  },
};
