import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { startServer } from '../../api/start-server.js';
import { fallbackOptions, replayFlags, reportSummary, serverOptions, serverReporter, type ReplayArgs } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';
import { startLine } from '../start-line.js';

export function replayCommand(setExitCode: (code: number) => void): CommandModule<object, ReplayArgs> {
  return {
    command: 'replay',
    describe: 'Serve cassettes; answer what no cassette holds like Appwrite would (stateful), from the schema, or with a miss error (none)',
    builder: (yargs) => fallbackOptions(serverOptions(yargs)),
    handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
      const { reporter, hooks } = serverReporter(args);
      const server = await startServer({ ...replayFlags(args), ...hooks });
      // Listening for signals before the address is printed: whoever reads it may stop the server at once.
      const stopped = runUntilSignal(async () => setExitCode(await reportSummary(reporter, await server.close(), args.summaryJson)));
      reporter.info(startLine('replay', server.spec, server.endpoint));
      reporter.info(
        `  cassettes ${server.config.cassettes}, default cassette "${server.config.cassette}"${server.config.strict ? ', strict' : ''}, fallback ${server.config.fallback}${server.config.state ? ` (state ${server.config.state})` : ''}${server.config.failOnMiss ? ', fail on miss' : ''}`,
      );
      await stopped;
    },
  };
}
