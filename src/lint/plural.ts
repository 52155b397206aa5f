/** `1 interaction`, `2 interactions`: a count with its noun, in the plural unless it is one. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
