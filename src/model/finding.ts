/** Where a finding was found: the request or the response. */
export type FindingSide = 'request' | 'response';

export type Severity = 'error' | 'warning';

/** What kind of contract drift or violation a finding is. */
export type FindingKind =
  | 'operation-unknown'
  | 'status-undeclared'
  | 'media-type-undeclared'
  | 'required-missing'
  | 'field-undeclared'
  | 'type-mismatch'
  | 'format-mismatch'
  | 'enum-mismatch'
  | 'value-invalid'
  | 'parameter-missing'
  | 'parameter-unknown'
  | 'parameter-invalid'
  | 'body-invalid'
  | 'error-malformed';

/** A contract violation, returned as data next to the answer; never thrown. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  side: FindingSide;
  operationId: string | null;
  /** JSON pointer inside the body, or the parameter's location and name (`query.queries`). */
  path: string;
  message: string;
  /** The offending value, where there is one and it is small. */
  value?: unknown;
}
