/** A header map with lower-case names; repeated headers keep every value. */
export type Headers = Record<string, string | string[]>;

/** Query parameters by name (array brackets removed); array parameters keep their order. */
export type Query = Record<string, string | string[]>;

export interface FilePart {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  /** The bytes as base64, absent when the part was larger than the store limit. */
  base64?: string;
}

/** A body as stored: JSON as JSON, text as text, binary as base64, multipart as fields and files. */
export type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; value: string }
  | { kind: 'base64'; value: string }
  | { kind: 'multipart'; fields: Record<string, string | string[]>; files: FilePart[] };

export interface VcrRequest {
  method: string;
  /** Path as received, without the query string (e.g. `/v1/users/abc`). */
  path: string;
  query: Query;
  headers: Headers;
  body: Body | null;
}

export interface VcrResponse {
  status: number;
  headers: Headers;
  body: Body | null;
}
