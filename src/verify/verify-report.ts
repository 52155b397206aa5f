import type { InputProblem } from '../lint/lint-report.js';

export const VERIFY_REPORT_FORMAT = 'appwrite-vcr-verify-report';
export const VERIFY_REPORT_VERSION = 1;

/** One recorded exchange whose replayed answer differs from the recording. */
export interface VerifyExample {
  /** The cassette file, relative to the cassettes folder. */
  file: string;
  /** Zero-based position in the file's `interactions`. */
  index: number;
  id: string;
  /** What differs, one line per JSON path (the status, the error type, a field). */
  differences: string[];
}

export interface VerifiedOperation {
  operationId: string;
  exchanges: number;
  equal: number;
  differing: number;
  /** Exchanges that could not be sent again (e.g. a file part too large to have been stored). */
  notReplayable: number;
  /** The first differing exchanges, in cassette order. */
  examples: VerifyExample[];
}

export interface VerifyReport {
  format: typeof VERIFY_REPORT_FORMAT;
  version: typeof VERIFY_REPORT_VERSION;
  createdBy: string;
  specVersion: string;
  cassettes: string;
  /** `pairedIds`: IDs the recorded server made that this run made anew, paired and written into the later requests. */
  summary: { files: number; exchanges: number; equal: number; differing: number; notReplayable: number; pairedIds: number };
  /** Operations with a difference first, then by operation id. */
  operations: VerifiedOperation[];
  inputProblems: InputProblem[];
}

/** Examples kept per operation: enough to see the pattern, small enough to read. */
const EXAMPLES_PER_OPERATION = 3;

/** Collects the outcome of each replayed exchange into a report. */
export class VerifyTally {
  readonly #operations = new Map<string, VerifiedOperation>();
  readonly #problems: InputProblem[] = [];
  #files = 0;
  #pairedIds = 0;

  #operation(operationId: string): VerifiedOperation {
    let op = this.#operations.get(operationId);
    if (!op) {
      op = { operationId, exchanges: 0, equal: 0, differing: 0, notReplayable: 0, examples: [] };
      this.#operations.set(operationId, op);
    }
    op.exchanges++;
    return op;
  }

  /** A cassette verified, with the number of server-made IDs its run paired. */
  file(pairedIds: number): void {
    this.#files++;
    this.#pairedIds += pairedIds;
  }

  problem(problem: InputProblem): void {
    this.#problems.push(problem);
  }

  outcome(operationId: string, example: VerifyExample): void {
    const op = this.#operation(operationId);
    if (example.differences.length === 0) {
      op.equal++;
      return;
    }
    op.differing++;
    if (op.examples.length < EXAMPLES_PER_OPERATION) op.examples.push(example);
  }

  notReplayable(operationId: string, example: VerifyExample): void {
    const op = this.#operation(operationId);
    op.notReplayable++;
    if (op.examples.length < EXAMPLES_PER_OPERATION) op.examples.push(example);
  }

  report(head: Pick<VerifyReport, 'createdBy' | 'specVersion' | 'cassettes'>): VerifyReport {
    const operations = [...this.#operations.values()].sort(
      (a, b) => Number(b.differing + b.notReplayable > 0) - Number(a.differing + a.notReplayable > 0) || a.operationId.localeCompare(b.operationId),
    );
    const sum = (pick: (op: VerifiedOperation) => number): number => operations.reduce((n, op) => n + pick(op), 0);
    return {
      format: VERIFY_REPORT_FORMAT,
      version: VERIFY_REPORT_VERSION,
      ...head,
      summary: {
        files: this.#files,
        exchanges: sum((op) => op.exchanges),
        equal: sum((op) => op.equal),
        differing: sum((op) => op.differing),
        notReplayable: sum((op) => op.notReplayable),
        pairedIds: this.#pairedIds,
      },
      operations,
      inputProblems: [...this.#problems],
    };
  }
}
