import type { LintReport } from './lint-report.js';

/** The report as documented by docs/lint-report.schema.json. */
export function renderJson(report: LintReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
