import { join } from 'node:path';
import { parseCassette, type CassetteFile } from '../cassette/cassette-format.js';
import { journalPath, readCassetteText, readJournal, withJournal } from '../cassette/cassette-journal.js';
import { DriftAnalysis } from '../lint/drift-analysis.js';
import { inputProblem } from '../lint/input-problem.js';
import { resolveLintConfig, type LintConfigOptions } from '../lint/lint-config.js';
import type { LintReport } from '../lint/lint-report.js';
import { listCassetteFiles } from '../lint/list-cassette-files.js';
import { loadSpec } from '../spec/load-spec.js';
import { schemaValidatorFor } from '../spec/schema-validator.js';
import { VERSION } from '../version.js';

export interface LintProgress {
  /** The file just linted, relative to the cassettes folder. */
  file: string;
  filesDone: number;
  files: number;
  interactions: number;
}

export interface LintOptions extends LintConfigOptions {
  /** Called after each cassette file (for a progress indicator); the library itself never prints. */
  onProgress?: (progress: LintProgress) => void;
}

/**
 * Validates every interaction of every cassette under a folder against a spec and returns the drift report.
 * Files are read one at a time and only grouped findings are kept, so memory stays bounded by the largest file.
 * A malformed file becomes an input problem in the report; the other files are still linted.
 * Throws `VcrError` for an invalid option, a missing spec or a missing cassettes folder.
 */
export async function lintCassettes(options: LintOptions = {}): Promise<LintReport> {
  const config = resolveLintConfig(options);
  const spec = await loadSpec(config.spec);
  const files = await listCassetteFiles(config.cassettes);
  const analysis = new DriftAnalysis({
    spec,
    validator: await schemaValidatorFor(spec),
    failOn: config.failOn,
    cassettes: config.cassettes,
    createdBy: `appwrite-vcr/${VERSION}`,
  });
  for (const [done, file] of files.entries()) {
    let cassette: CassetteFile | null = null;
    let text: string | null | undefined;
    const path = join(config.cassettes, file);
    try {
      text = await readCassetteText(path);
      cassette = text === null ? null : parseCassette(text, file);
    } catch (err) {
      analysis.addProblem(inputProblem(file, err, text ?? undefined));
    }
    // What a recorder appended and never folded in is traffic too.
    try {
      const journal = await readJournal(path);
      if (journal && (cassette || text === null)) cassette = withJournal(cassette, journal);
    } catch (err) {
      analysis.addProblem(inputProblem(journalPath(file), err));
    }
    if (cassette) analysis.addCassette(file, cassette);
    options.onProgress?.({ file, filesDone: done + 1, files: files.length, interactions: analysis.interactions });
  }
  return analysis.report();
}
