import { escapeControlsDeep } from '../model/escape-controls.js';
import { describePlaces } from './describe-places.js';
import type { FindingGroup, LintReport, OperationReport } from './lint-report.js';
import { PLAIN, type Paint } from './paint.js';
import { plural } from './plural.js';

const PLACES_SHOWN = 8;

/** A report for a terminal: drift by operation, input problems, coverage, and the summary last. */
export function renderText(unsafe: LintReport, paint: Paint = PLAIN): string {
  // Cassettes are input: a control character in one (a title change, a screen clear) is printed escaped.
  const report = escapeControlsDeep(unsafe);
  const lines: string[] = [];
  const { summary, spec } = report;
  lines.push(
    paint.bold(
      `appwrite-vcr lint: ${plural(summary.interactions, 'interaction')} in ${plural(summary.files, 'cassette file')} against ${spec.title} ${spec.version} (${spec.operations} operations)`,
    ),
  );

  const drifting = report.operations.filter((op) => op.findings.length > 0);
  if (drifting.length > 0) {
    lines.push('', paint.bold('Drift'));
    for (const op of drifting) {
      lines.push(`  ${heading(op, paint)}`);
      for (const group of op.findings) lines.push(...describeGroup(group, paint));
    }
  }

  if (report.knownDeviations.length > 0) {
    lines.push('', paint.bold("Appwrite's own known deviations from its spec (information, never a failure)"));
    for (const d of report.knownDeviations) {
      lines.push(`  ${paint.dim('i')} ${d.operationId} ${d.id} ${paint.bold(`×${d.count}`)} (${d.example.file} #${d.example.index})`);
      lines.push(`      ${paint.dim(d.reason)}`);
    }
  }

  if (report.inputProblems.length > 0) {
    lines.push('', paint.bold('Input problems'));
    for (const problem of report.inputProblems) lines.push(`  ${paint.red('✗')} ${problem.file}: ${problem.message}`);
  }

  const { coverage } = report;
  lines.push('', paint.bold(`Coverage ${coverage.covered}/${coverage.operations} operations (${coverage.percent}%)`));
  const width = Math.max(0, ...coverage.byTag.map((t) => t.tag.length));
  for (const tag of coverage.byTag) {
    const ratio = `${tag.covered}/${tag.operations}`.padStart(7);
    const tone = tag.covered === tag.operations ? paint.green : tag.covered === 0 ? paint.dim : paint.yellow;
    const missing =
      tag.missing.length > 0 && tag.covered > 0 ? paint.dim(`  missing: ${tag.missing.join(', ')}`) : tag.covered === 0 ? paint.dim('  none recorded') : '';
    lines.push(`  ${tag.tag.padEnd(width)} ${tone(ratio)} ${String(tag.percent).padStart(5)}%${missing}`);
  }

  lines.push('', paint.bold('Summary'));
  lines.push(`  ${plural(summary.interactions, 'interaction')}, ${summary.interactionsWithFindings} with findings`);
  const errors = plural(summary.errors, 'error');
  const warnings = plural(summary.warnings, 'warning');
  lines.push(
    `  ${summary.errors > 0 ? paint.red(errors) : errors}, ${summary.warnings > 0 ? paint.yellow(warnings) : warnings} in ${summary.findingGroups} groups`,
  );
  if (summary.malformedFiles > 0) lines.push(`  ${paint.red(plural(summary.malformedFiles, 'malformed cassette file'))}`);
  const verdict = summary.malformedFiles > 0 ? paint.red('input problem') : summary.failed ? paint.red('fail') : paint.green('pass');
  lines.push(`  result: ${verdict} (--fail-on ${summary.failOn})`);
  return `${lines.join('\n')}\n`;
}

function heading(op: OperationReport, paint: Paint): string {
  const mark = op.severity === 'error' ? paint.red('✗') : paint.yellow('!');
  const what =
    op.status === 'unknown'
      ? `${op.method} ${op.path} ${paint.dim(`(${op.operationId ?? 'no operation id'}, not in the spec)`)}`
      : `${op.operationId} ${paint.dim(`${op.method} ${op.path} [${op.tag}]`)}`;
  return `${mark} ${what} ${paint.dim(plural(op.interactions, 'interaction'))}`;
}

function describeGroup(group: FindingGroup, paint: Paint): string[] {
  const tone = group.severity === 'error' ? paint.red : paint.yellow;
  const value = group.example.value === undefined ? '' : paint.dim(` example: ${JSON.stringify(group.example.value)}`);
  return [
    `      ${tone(group.severity.padEnd(7))} ${group.side.padEnd(8)} ${group.kind} ${group.path || '(whole)'} ${paint.bold(`×${group.count}`)} ${group.message}${value}`,
    `      ${paint.dim(`at ${describePlaces(group.places, PLACES_SHOWN)}`)}`,
  ];
}
