import { choose } from '../config/choices.js';
import { LINT_FORMATS, type LintFormat } from './lint-formats.js';
import type { LintReport } from './lint-report.js';
import type { Paint } from './paint.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderJunit } from './render-junit.js';
import { renderText } from './render-text.js';

export { LINT_FORMATS, type LintFormat };

const RENDERERS: Readonly<Record<LintFormat, (report: LintReport, paint?: Paint) => string>> = {
  text: (report, paint) => renderText(report, paint),
  json: (report) => renderJson(report),
  junit: (report) => renderJunit(report),
  html: (report) => renderHtml(report),
};

export function parseLintFormat(value: unknown): LintFormat {
  return choose('format', value, LINT_FORMATS);
}

/** The report in a format; `paint` colours the text format only. */
export function renderReport(report: LintReport, format: LintFormat, paint?: Paint): string {
  return RENDERERS[format](report, paint);
}
