import { VcrError } from '../errors/vcr-error.js';

/**
 * A named option set: every choice an option takes, each with the sentence `--help` and the docs say
 * of it. All of the library's enumerated options (`fallback`, `mode`, `format`, `fail-on`) have this one shape.
 */
export type Choices<K extends string> = Readonly<Record<K, string>>;

/** The names of a set, in its order, for a message or `--help`. */
export function choiceNames<K extends string>(choices: Choices<K>): K[] {
  return Object.keys(choices) as K[];
}

/** Every choice with its sentence, for `--help`: `a: ...; b: ...`. */
export function describeChoices<K extends string>(choices: Choices<K>): string {
  return choiceNames(choices)
    .map((name) => `${name}: ${choices[name]}`)
    .join('; ');
}

/** `value` when it names one of the choices; otherwise the config error for the option. */
export function choose<K extends string>(option: string, value: unknown, choices: Choices<K>): K {
  if (typeof value === 'string' && Object.hasOwn(choices, value)) return value as K;
  return invalid(option, value, `one of ${choiceNames(choices).join(', ')}`);
}

/** The library's one verb for a bad option: throws the config error naming it, what it was given and what it takes. */
export function invalid(option: string, value: unknown, expected: string): never {
  throw new VcrError('CONFIG_INVALID', `Failed to use option "${option}": ${JSON.stringify(value)} is not ${expected}`, { option });
}
