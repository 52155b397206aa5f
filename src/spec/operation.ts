import type { JsonSchema } from './json-schema.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

/** What an operation answers with one status: a schema per media type, or no declared content. */
export interface ResponseSpec {
  status: number;
  /** Media type -> schema; empty when the spec declares no content (images, files, redirects). */
  content: Map<string, JsonSchema>;
}

export interface RequestBodySpec {
  required: boolean;
  content: Map<string, JsonSchema>;
}

/** One API operation, with the spec's quirks already normalised. */
export interface Operation {
  operationId: string;
  method: string;
  /** The spec's path template, relative to the base path (e.g. `/users/{userId}`). */
  pathTemplate: string;
  tag: string;
  summary: string;
  /** Appwrite's `x-appwrite.type`: `location` (bytes), `upload`, `webAuth` (redirect), `graphql` or empty. */
  appwriteType: string;
  /** Appwrite's `x-appwrite.scope`, used in authorisation errors. */
  scope: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  requestBody: RequestBodySpec | null;
  responses: Map<number, ResponseSpec>;
  /** Credential schemes of which any one is enough (the project header is checked apart). */
  credentials: string[];
  /** True when the operation lists the project scheme. */
  needsProject: boolean;
}
