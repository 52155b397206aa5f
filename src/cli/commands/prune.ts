import { readFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULTS } from '../../config/defaults.js';
import { VcrError } from '../../errors/vcr-error.js';
import { createReporter } from '../reporter.js';

function pruneOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('cassettes', { type: 'string', default: DEFAULTS.cassettes, describe: 'Folder of cassette files' })
    .option('from', { type: 'string', demandOption: true, describe: 'A summary written by replay --summary-json: its unused recordings are removed' })
    .option('write', { type: 'boolean', alias: 'yes', default: false, describe: 'Rewrite the cassettes (atomically); without it, only list what would go' });
}

type PruneArgs = ReturnType<typeof pruneOptions> extends Argv<infer T> ? T : never;

export const pruneCommand: CommandModule<object, PruneArgs> = {
  command: 'prune',
  describe: 'Remove the recordings a replay run never used (listed in its --summary-json); a dry run unless --write',
  builder: (yargs) => pruneOptions(yargs),
  handler: async (args: ArgumentsCamelCase<PruneArgs>) => {
    const reporter = createReporter({ quiet: false });
    let summary: unknown;
    try {
      summary = JSON.parse(await readFile(args.from, 'utf8')) as unknown;
    } catch (err) {
      throw new VcrError('CONFIG_INVALID', `Failed to read summary "${args.from}": ${(err as Error).message}`, { option: 'from' });
    }
    const { pruneCassettes } = await import('../../api/prune.js');
    const results = await pruneCassettes({ cassettes: args.cassettes, summary: summary as { unused: never }, write: args.write });
    let removed = 0;
    let touched = 0;
    for (const result of results) {
      if (result.missing) {
        reporter.warn(`${result.cassette}: no cassette file ${result.file}; skipped`);
        continue;
      }
      if (result.removed.length === 0) continue;
      removed += result.removed.length;
      touched++;
      reporter.info(`${result.cassette} (${result.file}): ${args.write ? 'removed' : 'would remove'} ${result.removed.length}, ${result.kept} kept`);
      for (const r of result.removed) reporter.info(`  - #${r.index} ${r.operationId ?? '-'} ${r.request} (${r.id})`);
    }
    const what = `${removed} unused recording${removed === 1 ? '' : 's'} in ${touched} cassette${touched === 1 ? '' : 's'}`;
    reporter.info(
      args.write ? `Removed ${what}.` : `Dry run: nothing changed. ${removed > 0 ? `Run again with --write to remove ${what}.` : 'Nothing to remove.'}`,
    );
  },
};
