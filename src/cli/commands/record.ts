import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { RECORD_DEFAULTS } from '../../config/defaults.js';
import { describeChoices } from '../../config/choices.js';
import { RECORD_MODES, type RecordMode } from '../../config/record-config.js';
import { reportSummary, serverFlags, serverOptions, serverReporter } from '../shared-options.js';
import { runUntilSignal } from '../run-until-signal.js';
import { startLine } from '../start-line.js';

function recordOptions<T>(yargs: Argv<T>) {
  return serverOptions(yargs)
    .option('upstream', { type: 'string', demandOption: true, describe: 'The Appwrite to record, with its /v1 (http or https)' })
    .option('mode', {
      type: 'string',
      default: RECORD_DEFAULTS.mode,
      describe: `How a request a cassette already holds is treated: ${describeChoices(RECORD_MODES)}`,
    })
    .option('insecure', { type: 'boolean', default: RECORD_DEFAULTS.insecure, describe: "Accept the upstream's self-signed certificate" })
    .option('upstream-timeout', {
      type: 'number',
      default: RECORD_DEFAULTS.upstreamTimeoutMs,
      describe: 'Milliseconds to wait for the upstream before answering 504',
    });
}

type RecordArgs = ReturnType<typeof recordOptions> extends Argv<infer T> ? T : never;

export function recordCommand(setExitCode: (code: number) => void): CommandModule<object, RecordArgs> {
  return {
    command: 'record',
    describe: 'Forward to a real Appwrite and record redacted, validated cassettes',
    builder: (yargs) => recordOptions(yargs),
    handler: async (args: ArgumentsCamelCase<RecordArgs>) => {
      const { reporter, hooks } = serverReporter(args);
      if (args.strict) reporter.warn('--strict applies to replay only: record passes on what the real server answers');
      // Loaded here: `replay` and `lint` start faster without the proxy's modules.
      const { startRecorder } = await import('../../api/start-recorder.js');
      const recorder = await startRecorder({
        ...serverFlags(args),
        ...hooks,
        upstream: args.upstream,
        mode: args.mode as RecordMode,
        insecure: args.insecure,
        upstreamTimeoutMs: args.upstreamTimeout,
      });
      const { config, spec } = recorder;
      // Listening for signals before the address is printed: whoever reads it may stop the server at once.
      const stopped = runUntilSignal(async () => setExitCode(await reportSummary(reporter, await recorder.close(), args.summaryJson)));
      reporter.info(`${startLine('record', spec, recorder.endpoint)} -> ${config.upstream}`);
      reporter.info(`  cassettes ${config.cassettes}, default cassette "${config.cassette}", mode ${config.mode}${config.insecure ? ', insecure TLS' : ''}`);
      await stopped;
    },
  };
}
