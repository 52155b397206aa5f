import type { CassetteFile } from '../cassette/cassette-format.js';
import type { Spec } from '../spec/load-spec.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { checkInteraction } from './check-interaction.js';
import { coverageOf } from './coverage.js';
import { reachesFailOn } from './fail-on.js';
import { FindingCollector } from './finding-collector.js';
import {
  LINT_REPORT_FORMAT,
  LINT_REPORT_VERSION,
  type FailOn,
  type InputProblem,
  type KnownDeviationReport,
  type LintReport,
  type OperationReport,
} from './lint-report.js';

interface Tally {
  method: string;
  path: string;
  operationId: string | null;
  interactions: number;
  findings: FindingCollector;
}

export interface DriftAnalysisOptions {
  spec: Spec;
  validator: SchemaValidator;
  failOn: FailOn;
  /** The cassettes folder, as given. */
  cassettes: string;
  createdBy: string;
}

/**
 * Accumulates drift one cassette at a time. It keeps counts and grouped findings per operation,
 * never the interactions, so memory grows with the distinct findings, not with the traffic.
 */
export class DriftAnalysis {
  readonly #options: DriftAnalysisOptions;
  readonly #known = new Map<string, Tally>();
  readonly #unknown = new Map<string, Tally>();
  readonly #problems: InputProblem[] = [];
  readonly #deviations = new Map<string, KnownDeviationReport>();
  #files = 0;
  #interactions = 0;
  #withFindings = 0;

  constructor(options: DriftAnalysisOptions) {
    this.#options = options;
  }

  get interactions(): number {
    return this.#interactions;
  }

  /** `file` is the cassette's path relative to the cassettes folder. */
  addCassette(file: string, cassette: CassetteFile): void {
    this.#files++;
    const { spec, validator } = this.#options;
    const interactions = cassette.interactions;
    for (let index = 0; index < interactions.length; index++) {
      const interaction = interactions[index]!;
      this.#interactions++;
      const { operation, findings, deviations } = checkInteraction(interaction, spec, validator);
      for (const deviation of deviations) {
        const key = `${deviation.operationId}\u0000${deviation.id}`;
        const known = this.#deviations.get(key);
        if (known) known.count++;
        else this.#deviations.set(key, { ...deviation, count: 1, example: { file, index, id: interaction.id } });
      }
      let tally: Tally | undefined;
      if (operation) {
        tally = this.#known.get(operation.operationId);
        if (!tally) {
          tally = {
            method: operation.method,
            path: operation.pathTemplate,
            operationId: operation.operationId,
            interactions: 0,
            findings: new FindingCollector(),
          };
          this.#known.set(operation.operationId, tally);
        }
      } else if (findings.length > 0) {
        const method = interaction.request.method.toUpperCase();
        const key = interaction.operationId ?? `${method} ${interaction.request.path}`;
        tally = this.#unknown.get(key);
        if (!tally) {
          tally = { method, path: interaction.request.path, operationId: interaction.operationId ?? null, interactions: 0, findings: new FindingCollector() };
          this.#unknown.set(key, tally);
        }
      }
      if (!tally) continue;
      tally.interactions++;
      if (findings.length === 0) continue;
      this.#withFindings++;
      const place = { file, index, id: interaction.id };
      for (const finding of findings) tally.findings.add(finding, place);
    }
  }

  addProblem(problem: InputProblem): void {
    this.#files++;
    this.#problems.push(problem);
  }

  report(): LintReport {
    const { spec, failOn } = this.#options;
    const operations: OperationReport[] = [];
    let errors = 0;
    let warnings = 0;
    let groups = 0;
    const push = (tally: Tally | undefined, base: Omit<OperationReport, 'status' | 'severity' | 'interactions' | 'findings'>, known: boolean): void => {
      const findings = tally ? tally.findings.groups() : [];
      errors += tally?.findings.errors ?? 0;
      warnings += tally?.findings.warnings ?? 0;
      groups += findings.length;
      const status = !known ? 'unknown' : !tally ? 'missing' : findings.length > 0 ? 'drift' : 'covered';
      operations.push({ ...base, status, severity: tally?.findings.worst ?? null, interactions: tally?.interactions ?? 0, findings });
    };
    for (const op of spec.operations) {
      push(this.#known.get(op.operationId), { operationId: op.operationId, method: op.method, path: op.pathTemplate, tag: op.tag }, true);
    }
    for (const key of [...this.#unknown.keys()].sort()) {
      const tally = this.#unknown.get(key)!;
      push(tally, { operationId: tally.operationId, method: tally.method, path: tally.path, tag: null }, false);
    }
    return {
      format: LINT_REPORT_FORMAT,
      version: LINT_REPORT_VERSION,
      createdBy: this.#options.createdBy,
      spec: { title: spec.title, version: spec.version, source: spec.source, operations: spec.operations.length },
      cassettes: this.#options.cassettes,
      summary: {
        files: this.#files,
        malformedFiles: this.#problems.length,
        interactions: this.#interactions,
        interactionsWithFindings: this.#withFindings,
        errors,
        warnings,
        findingGroups: groups,
        failOn,
        failed: reachesFailOn({ errors, warnings }, failOn),
      },
      coverage: coverageOf(spec, new Set(this.#known.keys())),
      operations,
      knownDeviations: [...this.#deviations.values()].sort((a, b) => a.operationId.localeCompare(b.operationId) || a.id.localeCompare(b.id)),
      inputProblems: [...this.#problems].sort((a, b) => a.file.localeCompare(b.file)),
    };
  }
}
