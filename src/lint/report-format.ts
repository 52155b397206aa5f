import { VcrError } from '../errors/vcr-error.js';
import type { LintReport } from './lint-report.js';
import type { Paint } from './paint.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderJunit } from './render-junit.js';
import { renderText } from './render-text.js';

/** The output formats of `lint`. */
export const LINT_FORMATS = {
  /** For a terminal: drift by operation, coverage, the summary last. */
  text: (report: LintReport, paint?: Paint) => renderText(report, paint),
  /** For tools: the documented, versioned report (docs/lint-report.schema.json). */
  json: (report: LintReport) => renderJson(report),
  /** For CI: one test case per operation. */
  junit: (report: LintReport) => renderJunit(report),
  /** For people: one self-contained page with the coverage map. */
  html: (report: LintReport) => renderHtml(report),
} as const satisfies Record<string, (report: LintReport, paint?: Paint) => string>;

export type LintFormat = keyof typeof LINT_FORMATS;

export function parseLintFormat(value: unknown): LintFormat {
  if (typeof value === 'string' && Object.hasOwn(LINT_FORMATS, value)) return value as LintFormat;
  throw new VcrError('CONFIG_INVALID', `Failed to read option "format": ${JSON.stringify(value)} is not one of ${Object.keys(LINT_FORMATS).join(', ')}`, {
    option: 'format',
    value,
  });
}

/** The report in a format; `paint` colours the text format only. */
export function renderReport(report: LintReport, format: LintFormat, paint?: Paint): string {
  return LINT_FORMATS[format](report, paint);
}
