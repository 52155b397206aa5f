/** The colours a text report uses; the terminal decides whether they are real (the library never colours by itself). */
export interface Paint {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const same = (text: string): string => text;

export const PLAIN: Paint = { red: same, yellow: same, green: same, dim: same, bold: same };
