import type { InputProblem } from './lint-report.js';

/** An unreadable cassette, with the line and column the parse error names, if it names one. */
export function inputProblem(file: string, error: unknown): InputProblem {
  const message = error instanceof Error ? error.message : String(error);
  const problem: InputProblem = { file, message };
  const position = /line (\d+), column (\d+)/.exec(message);
  if (position) {
    problem.line = Number(position[1]);
    problem.column = Number(position[2]);
  }
  return problem;
}
