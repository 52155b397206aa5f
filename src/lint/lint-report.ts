import type { FindingKind, FindingSide, Severity } from '../model/finding.js';

export const LINT_REPORT_FORMAT = 'appwrite-vcr-lint-report';
/** Bumped on any change a consumer of the JSON report would notice; docs/lint-report.schema.json describes it. */
export const LINT_REPORT_VERSION = 1;

/** Where a finding occurs: a cassette file (relative to the cassettes folder, `/`-separated) and interaction indexes in it. */
export interface FindingPlaces {
  file: string;
  /** Zero-based positions in the file's `interactions` array, ascending. */
  indexes: number[];
}

/** One interaction that shows a finding, for a person to open. */
export interface FindingExample {
  file: string;
  index: number;
  id: string;
  /** The JSON pointer of this occurrence, with its list positions. */
  path: string;
  /** The offending value, small; absent when there is none. */
  value?: unknown;
}

/** Identical findings of one operation (same side, kind and path), counted once with every place. */
export interface FindingGroup {
  kind: FindingKind;
  severity: Severity;
  side: FindingSide;
  /**
   * JSON pointer in the body, list positions written `*` (`/users/*` + `/name`), or `query.NAME` / `header.NAME`;
   * empty for the body or the status as a whole.
   */
  path: string;
  /** The message of the first occurrence. */
  message: string;
  count: number;
  example: FindingExample;
  places: FindingPlaces[];
}

/**
 * - `covered`: recorded, no finding;
 * - `drift`: recorded, at least one finding (see `severity` for the worst);
 * - `missing`: in the spec, never recorded;
 * - `unknown`: recorded, but the spec has no such operation.
 */
export type OperationStatus = 'covered' | 'drift' | 'missing' | 'unknown';

export interface OperationReport {
  /** The spec's operation id; for an unknown operation, the id stored with the recording, if any. */
  operationId: string | null;
  method: string;
  /** The spec's path template under the base path; for an unknown operation, the first recorded path. */
  path: string;
  /** The operation's first tag; `null` for an unknown operation. */
  tag: string | null;
  status: OperationStatus;
  /** The worst severity among the findings, or null when there is none. */
  severity: Severity | null;
  interactions: number;
  findings: FindingGroup[];
}

export interface TagCoverage {
  tag: string;
  operations: number;
  covered: number;
  /** Covered share, 0 to 100, one decimal. */
  percent: number;
  /** Operation ids of the tag with no recorded interaction, in spec order. */
  missing: string[];
}

export interface Coverage {
  operations: number;
  covered: number;
  percent: number;
  byTag: TagCoverage[];
}

/** A cassette file that could not be read; the other files are still linted. */
export interface InputProblem {
  file: string;
  message: string;
  /** 1-based, when the file is not valid JSON and the parser gave a position. */
  line?: number;
  column?: number;
}

export type FailOn = 'error' | 'warning' | 'never';

export interface LintSummary {
  files: number;
  malformedFiles: number;
  interactions: number;
  interactionsWithFindings: number;
  /** Occurrences of error findings (a group of 5,000 counts 5,000). */
  errors: number;
  warnings: number;
  findingGroups: number;
  failOn: FailOn;
  /** True when a finding reaches the `failOn` level. */
  failed: boolean;
}

/** What `lintCassettes` returns and `--format json` prints. */
/**
 * Answers where Appwrite's own server departs from its spec every time (a status, a shape): reported apart,
 * as information; never a finding, never a failure.
 */
export interface KnownDeviationReport {
  id: string;
  operationId: string;
  reason: string;
  count: number;
  /** The first interaction that shows it. */
  example: { file: string; index: number; id: string };
}

export interface LintReport {
  format: typeof LINT_REPORT_FORMAT;
  version: typeof LINT_REPORT_VERSION;
  createdBy: string;
  spec: { title: string; version: string; source: string; operations: number };
  cassettes: string;
  summary: LintSummary;
  coverage: Coverage;
  /** Every operation of the spec (spec order), then the unknown ones recorded. */
  operations: OperationReport[];
  /** By operation, then by deviation. */
  knownDeviations: KnownDeviationReport[];
  inputProblems: InputProblem[];
}
