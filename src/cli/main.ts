import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isVcrError } from '../errors/vcr-error.js';
import { doctorCommand } from './commands/doctor.js';
import { lintCommand } from './commands/lint.js';
import { verifyCommand } from './commands/verify.js';
import { pruneCommand } from './commands/prune.js';
import { recordCommand } from './commands/record.js';
import { replayCommand } from './commands/replay.js';
import { EXIT } from './exit-codes.js';
import { makeChalk } from './reporter.js';
import { versionLine } from './start-line.js';

export async function main(argv: string[]): Promise<number> {
  let failure: unknown = null;
  let exitCode: number = EXIT.ok;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const parser = yargs(argv)
    .scriptName('appwrite-vcr')
    .version(versionLine())
    .command(replayCommand(setExitCode))
    .command(recordCommand(setExitCode))
    .command(lintCommand(setExitCode))
    .command(verifyCommand(setExitCode))
    .command(pruneCommand)
    .command(doctorCommand(setExitCode))
    .demandCommand(1, 'Name a command: replay, record, lint, verify, prune, doctor')
    .strict()
    .recommendCommands()
    .help()
    .fail((message, error) => {
      // Throwing stops yargs before any command handler runs.
      throw error ?? new UsageError(message ?? 'invalid usage');
    })
    // yargs lays out the help text after every command it runs, in case it is needed later; wrapping
    // it to the terminal is most of that work (25 ms of each start), so it is done only when help is shown.
    .wrap(asksForHelp(argv) ? Math.min(110, process.stdout.columns ?? 110) : null);
  try {
    await parser.parseAsync();
  } catch (err) {
    failure ??= err;
  }
  if (failure) {
    const c = makeChalk(process.stderr);
    const message = isVcrError(failure) || failure instanceof UsageError ? failure.message : String((failure as Error)?.stack ?? failure);
    process.stderr.write(`${c.red('error')} ${message}\n`);
    if (failure instanceof UsageError) process.stderr.write('Run "appwrite-vcr --help" for usage.\n');
    return EXIT.usage;
  }
  return exitCode;
}

class UsageError extends Error {}

function asksForHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.some((arg) => arg === '--help' || arg === '-h' || arg === 'help');
}

export async function run(): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: the output is no longer wanted, which is no error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  process.exitCode = await main(hideBin(process.argv));
}
