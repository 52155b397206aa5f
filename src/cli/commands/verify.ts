import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULTS } from '../../config/defaults.js';
import { choose, describeChoices, type Choices } from '../../config/choices.js';
import { EXIT } from '../exit-codes.js';

const VERIFY_FORMATS = {
  text: 'for a terminal: the differences by operation, the summary last',
  json: 'for tools: every exchange with its verdict',
} as const satisfies Choices<string>;

function verifyOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('cassettes', { type: 'string', default: DEFAULTS.cassettes, describe: 'Folder of cassette files (searched recursively)' })
    .option('cassette', { type: 'string', describe: 'Only this cassette (a name as X-Vcr-Cassette takes it)' })
    .option('spec', { type: 'string', describe: 'OpenAPI spec to serve (default: the pinned Appwrite 1.5.0 spec)' })
    .option('format', { type: 'string', default: 'text', describe: `Report format: ${describeChoices(VERIFY_FORMATS)}` })
    .option('output', { type: 'string', describe: 'Write the report to this file instead of standard output' });
}

type VerifyArgs = ReturnType<typeof verifyOptions> extends Argv<infer T> ? T : never;

/**
 * `verify`: replays recorded requests into a fresh stateful model and compares the answers with the
 * recordings. Exit 0 when every exchange agrees, 1 when one differs, 2 for a usage or input problem.
 */
export function verifyCommand(setExitCode: (code: number) => void): CommandModule<object, VerifyArgs> {
  return {
    command: 'verify',
    describe: 'Send recorded requests to a fresh stateful model and compare its answers with the recordings (how far the fallback stands in for them)',
    builder: (yargs) => verifyOptions(yargs),
    handler: async (args: ArgumentsCamelCase<VerifyArgs>) => {
      const format = choose('format', args.format, VERIFY_FORMATS);
      const { verifyCassettes } = await import('../../api/verify.js');
      const { renderVerifyText } = await import('../../verify/render-verify-text.js');
      const report = await verifyCassettes({ cassettes: args.cassettes, cassette: args.cassette, spec: args.spec });
      const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyText(report);
      if (args.output === undefined) {
        process.stdout.write(text);
      } else {
        await mkdir(dirname(args.output), { recursive: true });
        await writeFile(args.output, text);
      }
      for (const problem of report.inputProblems) process.stderr.write(`error ${problem.message}\n`);
      setExitCode(report.inputProblems.length > 0 ? EXIT.usage : report.summary.differing > 0 ? EXIT.findings : EXIT.ok);
    },
  };
}
