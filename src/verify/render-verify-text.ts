import { escapeControls as printable } from '../model/escape-controls.js';
import type { VerifyReport } from './verify-report.js';

/** The verify report for a person: one line per operation, the differences of the first exchanges under it. */
export function renderVerifyText(report: VerifyReport): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(
    `appwrite-vcr verify: ${s.exchanges} exchanges in ${s.files} cassette ${s.files === 1 ? 'file' : 'files'} against the stateful model (Appwrite ${report.specVersion})`,
  );
  lines.push(
    `  ${s.equal} equal, ${s.differing} differ, ${s.explained} explained by the recorded server, ${s.notReplayable} not replayable; ${s.pairedIds} IDs the recorded server made paired with this run's`,
  );
  for (const op of report.operations) {
    const mark = op.differing + op.notReplayable > 0 ? 'DIFFER' : op.explained > 0 ? 'known ' : 'equal ';
    const extra = `${op.explained > 0 ? `, ${op.explained} explained` : ''}${op.notReplayable > 0 ? `, ${op.notReplayable} not replayable` : ''}`;
    lines.push(`${mark} ${op.operationId}: ${op.equal}/${op.exchanges} equal${extra}`);
    for (const example of op.examples) {
      lines.push(`         ${printable(example.file)} #${example.index}${example.explainedBy ? ` (${example.explainedBy})` : ''}`);
      for (const difference of example.differences) lines.push(`           ${printable(difference)}`);
    }
  }
  if (report.explanations.length > 0) lines.push('Explained by the recorded server (not counted as differences):');
  for (const e of report.explanations) lines.push(`  ${e.id} (${e.exchanges}): ${printable(e.reason)}`);
  for (const problem of report.inputProblems) lines.push(`error ${printable(problem.file)}: ${printable(problem.message)}`);
  return `${lines.join('\n')}\n`;
}
