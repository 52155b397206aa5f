import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { LintProgress } from '../../api/lint.js';
import { DEFAULTS } from '../../config/defaults.js';
import { FAIL_ON } from '../../lint/fail-on.js';
import type { LintReport } from '../../lint/lint-report.js';
import { LINT_FORMATS } from '../../lint/lint-formats.js';
import { describeChoices } from '../../config/choices.js';
import { EXIT } from '../exit-codes.js';
import { makeChalk } from '../reporter.js';

function lintOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('cassettes', { type: 'string', default: DEFAULTS.cassettes, describe: 'Folder of cassette files (searched recursively)' })
    .option('spec', { type: 'string', describe: 'OpenAPI spec to lint against, JSON or YAML (default: the pinned Appwrite 1.5.0 spec)' })
    .option('format', { type: 'string', default: 'text', describe: `Report format: ${describeChoices(LINT_FORMATS)}` })
    .option('output', { type: 'string', describe: 'Write the report to this file instead of standard output' })
    .option('fail-on', { type: 'string', default: 'error', describe: `Exit 1 when a finding reaches this level: ${describeChoices(FAIL_ON)}` });
}

type LintArgs = ReturnType<typeof lintOptions> extends Argv<infer T> ? T : never;

/** A progress line appears only on a terminal and only once the run is long enough to need one. */
const PROGRESS_AFTER_INTERACTIONS = 5_000;
const PROGRESS_EVERY_MS = 100;

/**
 * `lint`: exit 0 when nothing reaches `--fail-on`, 1 when a finding does, 2 for a usage or input
 * problem (including a malformed cassette, reported after the others are linted).
 */
export function lintCommand(setExitCode: (code: number) => void): CommandModule<object, LintArgs> {
  return {
    command: 'lint',
    describe: 'Validate every recorded interaction against a spec and report contract drift and coverage',
    builder: (yargs) => lintOptions(yargs),
    handler: async (args: ArgumentsCamelCase<LintArgs>) => {
      // Loaded here: `replay` and `record` start faster without the linter and its reporters.
      const { lintCassettes } = await import('../../api/lint.js');
      const { parseLintFormat, renderReport } = await import('../../lint/report-format.js');
      const format = parseLintFormat(args.format);
      const progress = progressLine(process.stderr);
      let report: LintReport;
      try {
        report = await lintCassettes({ cassettes: args.cassettes, spec: args.spec, failOn: args.failOn, onProgress: progress.update });
      } finally {
        progress.clear();
      }
      const paint = args.output === undefined ? makeChalk(process.stdout) : undefined;
      const text = renderReport(report, format, paint);
      if (args.output === undefined) {
        process.stdout.write(text);
      } else {
        await mkdir(dirname(args.output), { recursive: true });
        await writeFile(args.output, text);
      }
      for (const problem of report.inputProblems) process.stderr.write(`${makeChalk(process.stderr).red('error')} ${problem.message}\n`);
      setExitCode(report.inputProblems.length > 0 ? EXIT.usage : report.summary.failed ? EXIT.findings : EXIT.ok);
    },
  };
}

function progressLine(stream: NodeJS.WriteStream): { update: (p: LintProgress) => void; clear: () => void } {
  let shown = false;
  let last = 0;
  return {
    update(p) {
      if (!stream.isTTY || p.interactions < PROGRESS_AFTER_INTERACTIONS) return;
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && p.filesDone < p.files) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2Klinting ${p.filesDone}/${p.files} files, ${p.interactions} interactions…`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
