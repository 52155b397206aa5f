import type { Choices } from '../config/choices.js';

/** The output formats of `lint`, apart from their renderers (the CLI's help needs only these). */
export const LINT_FORMATS = {
  text: 'for a terminal: drift by operation, coverage, the summary last',
  json: 'for tools: the documented, versioned report (docs/lint-report.schema.json)',
  junit: 'for CI: one test case per operation',
  html: 'for people: one self-contained page with the coverage map',
} as const satisfies Choices<string>;

export type LintFormat = keyof typeof LINT_FORMATS;
