/** The package version, written into every cassette this tool creates. */
export const VERSION = '0.1.0';
