import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { startServer } from '../../api/start-server.js';
import { fallbackOptions, replayFlags, serverOptions, serverReporter, type ReplayArgs } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';
import { startLine } from '../start-line.js';

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Serve cassettes; answer what no cassette holds like Appwrite would (stateful) or from the schema',
  builder: (yargs) => fallbackOptions(serverOptions(yargs)),
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const { reporter, hooks } = serverReporter(args);
    const server = await startServer({ ...replayFlags(args), ...hooks });
    // Listening for signals before the address is printed: whoever reads it may stop the server at once.
    const stopped = runUntilSignal(async () => reporter.summary(await server.close()));
    reporter.info(startLine('replay', server.spec, server.endpoint));
    reporter.info(`  cassettes ${server.config.cassettes}, default cassette "${server.config.cassette}"${server.config.strict ? ', strict' : ''}, fallback ${server.config.fallback}${server.config.state ? ` (state ${server.config.state})` : ''}`);
    await stopped;
  },
};
