/** The names of `lint`'s output formats, without loading their renderers (the CLI's help needs only these). */
export const LINT_FORMAT_NAMES = ['text', 'json', 'junit', 'html'] as const;
