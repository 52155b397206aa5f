import { jsonErrorOffset, lineColumnOf } from '../cassette/json-error-offset.js';
import type { InputProblem } from './lint-report.js';

/**
 * An unreadable cassette, with the line and column of the syntax error when it is not JSON:
 * the one the parser names, else the one found by scanning `text`.
 */
export function inputProblem(file: string, error: unknown, text?: string): InputProblem {
  let message = error instanceof Error ? error.message : String(error);
  const problem: InputProblem = { file, message };
  const named = /line (\d+), column (\d+)/.exec(message);
  if (named) {
    problem.line = Number(named[1]);
    problem.column = Number(named[2]);
  } else if (text !== undefined && /invalid JSON/.test(message)) {
    const offset = jsonErrorOffset(text);
    if (offset !== null) {
      const { line, column } = lineColumnOf(text, offset);
      message = message.replace('invalid JSON', `invalid JSON at line ${line}, column ${column}`);
      Object.assign(problem, { message, line, column });
    }
  }
  return problem;
}
