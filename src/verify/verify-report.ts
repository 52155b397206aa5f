import type { InputProblem } from '../lint/lint-report.js';
import type { Explanation } from './explained-differences.js';

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
  /** Set when the difference comes from the recorded server's setup or timing (see `explanations`). */
  explainedBy?: string;
}

/** An explanation that accounted for differing exchanges, with how many. */
export interface ExplainedDifferences extends Explanation {
  exchanges: number;
}

export interface VerifiedOperation {
  operationId: string;
  exchanges: number;
  equal: number;
  differing: number;
  /** Exchanges that differ for a reason of the recorded server's (its setup, its timing), not the model's. */
  explained: number;
  /** Exchanges that could not be sent again (e.g. a file part too large to have been stored). */
  notReplayable: number;
  /** The first differing exchanges, in cassette order; then the first explained ones. */
  examples: VerifyExample[];
}

export interface VerifyReport {
  format: typeof VERIFY_REPORT_FORMAT;
  version: typeof VERIFY_REPORT_VERSION;
  createdBy: string;
  specVersion: string;
  cassettes: string;
  /** `pairedIds`: IDs the recorded server made that this run made anew, paired and written into the later requests. */
  summary: { files: number; exchanges: number; equal: number; differing: number; explained: number; notReplayable: number; pairedIds: number };
  /** Each explanation that accounted for an exchange, most exchanges first. */
  explanations: ExplainedDifferences[];
  /** Operations with a difference first, then by operation id. */
  operations: VerifiedOperation[];
  inputProblems: InputProblem[];
}

/** Examples kept per operation: enough to see the pattern, small enough to read. */
const EXAMPLES_PER_OPERATION = 3;

/** Operations with a difference of the model's first, then those with explained ones only, then the equal. */
function rank(op: VerifiedOperation): number {
  if (op.differing + op.notReplayable > 0) return 2;
  return op.explained > 0 ? 1 : 0;
}

/** Collects the outcome of each replayed exchange into a report. */
export class VerifyTally {
  readonly #operations = new Map<string, VerifiedOperation>();
  readonly #problems: InputProblem[] = [];
  readonly #explanations = new Map<string, ExplainedDifferences>();
  #files = 0;
  #pairedIds = 0;

  #operation(operationId: string): VerifiedOperation {
    let op = this.#operations.get(operationId);
    if (!op) {
      op = { operationId, exchanges: 0, equal: 0, differing: 0, explained: 0, notReplayable: 0, examples: [] };
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
    // A difference of the model's own is worth more than an explained one: it takes an explained example's place.
    const explainedAt = op.examples.findIndex((e) => e.explainedBy !== undefined);
    if (op.examples.length < EXAMPLES_PER_OPERATION) op.examples.splice(explainedAt === -1 ? op.examples.length : explainedAt, 0, example);
    else if (explainedAt !== -1) op.examples.splice(explainedAt, 1, example);
  }

  /** A differing exchange that `explanation` accounts for. */
  explained(operationId: string, example: VerifyExample, explanation: Explanation): void {
    const op = this.#operation(operationId);
    op.explained++;
    const seen = this.#explanations.get(explanation.id) ?? { ...explanation, exchanges: 0 };
    seen.exchanges++;
    this.#explanations.set(explanation.id, seen);
    if (op.examples.length < EXAMPLES_PER_OPERATION) op.examples.push({ ...example, explainedBy: explanation.id });
  }

  notReplayable(operationId: string, example: VerifyExample): void {
    const op = this.#operation(operationId);
    op.notReplayable++;
    if (op.examples.length < EXAMPLES_PER_OPERATION) op.examples.push(example);
  }

  report(head: Pick<VerifyReport, 'createdBy' | 'specVersion' | 'cassettes'>): VerifyReport {
    const operations = [...this.#operations.values()].sort((a, b) => rank(b) - rank(a) || a.operationId.localeCompare(b.operationId));
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
        explained: sum((op) => op.explained),
        notReplayable: sum((op) => op.notReplayable),
        pairedIds: this.#pairedIds,
      },
      explanations: [...this.#explanations.values()].sort((a, b) => b.exchanges - a.exchanges || a.id.localeCompare(b.id)),
      operations,
      inputProblems: [...this.#problems],
    };
  }
}
