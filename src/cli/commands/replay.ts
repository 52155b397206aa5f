import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { startServer } from '../../api/start-server.js';
import type { FallbackMode } from '../../config/server-config.js';
import { fallbackOptions, serverFlags, serverOptions, serverReporter } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';

type ReplayArgs = ReturnType<typeof fallbackOptions<ReturnType<typeof serverOptions> extends Argv<infer T> ? T : never>> extends Argv<infer U> ? U : never;

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Serve cassettes; answer what no cassette holds like Appwrite would (stateful) or from the schema',
  builder: (yargs) => fallbackOptions(serverOptions(yargs)),
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const { reporter, hooks } = serverReporter(args);
    const server = await startServer({
      ...serverFlags(args),
      fallback: args.fallback as FallbackMode,
      state: args.state ?? null,
      seed: args.seed ?? null,
      ...hooks,
    });
    // Listening for signals before the address is printed: whoever reads it may stop the server at once.
    const stopped = runUntilSignal(async () => reporter.summary(await server.close()));
    reporter.info(`appwrite-vcr replay: ${server.spec.title} ${server.spec.version} (${server.spec.operations.length} operations) at ${server.endpoint}`);
    reporter.info(`  cassettes ${server.config.cassettes}, default cassette "${server.config.cassette}"${server.config.strict ? ', strict' : ''}, fallback ${server.config.fallback}${server.config.state ? ` (state ${server.config.state})` : ''}`);
    await stopped;
  },
};
