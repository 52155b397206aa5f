/** Exit codes of every command. */
export const EXIT = {
  /** Done; for lint, nothing reached the --fail-on level. */
  ok: 0,
  /** lint: a finding reached the --fail-on level. */
  findings: 1,
  /** A usage or input problem: bad flag, missing or invalid spec, unusable cassette folder, port taken. */
  usage: 2,
  /** replay, record: `--fail-on-miss` and a request matched no recording. */
  misses: 3,
} as const;
