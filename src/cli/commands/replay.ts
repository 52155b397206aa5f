import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { startServer } from '../../api/start-server.js';
import { serverFlags, serverOptions, serverReporter } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';

type ReplayArgs = ReturnType<typeof serverOptions> extends Argv<infer T> ? T : never;

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Serve cassettes; answer what no cassette holds from the schema',
  builder: (yargs) => serverOptions(yargs),
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const { reporter, hooks } = serverReporter(args);
    const server = await startServer({ ...serverFlags(args), ...hooks });
    reporter.info(`appwrite-vcr replay: ${server.spec.title} ${server.spec.version} (${server.spec.operations.length} operations) at ${server.endpoint}`);
    reporter.info(`  cassettes ${server.config.cassettes}, default cassette "${server.config.cassette}"${server.config.strict ? ', strict' : ''}`);
    await runUntilSignal(async () => reporter.summary(await server.close()));
  },
};
