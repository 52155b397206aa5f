/** A resource as Appwrite answers it: exactly the fields of its model in the spec. */
export type Model = Record<string, unknown>;

export interface CollectionEntry {
  /** The collection model without `attributes` and `indexes`, which are kept apart. */
  model: Model;
  attributes: Map<string, Model>;
  indexes: Map<string, Model>;
  documents: Map<string, Model>;
}

export interface DatabaseEntry {
  model: Model;
  collections: Map<string, CollectionEntry>;
}

export interface UserEntry {
  model: Model;
  /** `scrypt$salt$hash` of a plain password, for account sign-in; never the password itself. */
  passwordCheck: string | null;
  sessions: Map<string, Model>;
  tokens: Map<string, Model>;
  targets: Map<string, Model>;
  /** membershipId -> teamId */
  memberships: Map<string, string>;
  /** The user's MFA factors; absent until the user first adds one (and in older state files). */
  mfa?: MfaEntry;
}

/**
 * What Appwrite keeps of a user's MFA apart from the user model (the `authenticators` and `challenges`
 * collections and the `mfaRecoveryCodes` attribute at 1.5.0), none of it ever in an answer's user model.
 */
export interface MfaEntry {
  /** The TOTP authenticator: its base32 secret (a placeholder once read back from a state file) and whether a code verified it. */
  totp: { $id: string; type: 'totp'; verified: boolean; secret: string } | null;
  /** The recovery codes not used yet (their digests once read back from a state file). */
  recoveryCodes: string[];
  /** Open challenges by ID: the model Appwrite answers, the factor, and the code sent (its digest once read back). */
  challenges: Map<string, Model>;
}

export interface TeamEntry {
  /** The team model without `total`, which is counted. */
  model: Model;
  prefs: Model;
  memberships: Map<string, Model>;
  /** membershipId -> digest of its invitation's secret, while it waits to be accepted (absent in older state files). */
  invitations?: Map<string, string>;
}

export interface FileEntry {
  model: Model;
  /** Chunks by index while a chunked upload is under way; one chunk when complete. */
  chunks: Buffer[];
}

export interface BucketEntry {
  model: Model;
  files: Map<string, FileEntry>;
}

export interface FunctionEntry {
  /** The function model without `vars`, which come from `variables`. */
  model: Model;
  deployments: Map<string, Model>;
  /** deploymentId -> the code uploaded with it, as `downloadDeployment` gives it back (absent in older state files). */
  code?: Map<string, Buffer>;
  variables: Map<string, Model>;
  executions: Map<string, Model>;
}

export interface TopicEntry {
  model: Model;
  subscribers: Map<string, Model>;
}

/** A value as a handler sees it: to be read, written only through the request's `Tx`. */
export type ReadonlyDeep<T> = T extends Buffer
  ? T
  : T extends Map<infer K, infer V>
    ? ReadonlyMap<K, ReadonlyDeep<V>>
    : T extends (infer U)[]
      ? readonly ReadonlyDeep<U>[]
      : T extends object
        ? { readonly [P in keyof T]: ReadonlyDeep<T[P]> }
        : T;

/** Everything a run created. Plain data (Maps, Buffers, JSON values), so that it can be saved as it is. */
export interface StateData {
  databases: Map<string, DatabaseEntry>;
  users: Map<string, UserEntry>;
  identities: Map<string, Model>;
  teams: Map<string, TeamEntry>;
  buckets: Map<string, BucketEntry>;
  functions: Map<string, FunctionEntry>;
  providers: Map<string, Model>;
  topics: Map<string, TopicEntry>;
  messages: Map<string, Model>;
}

export function emptyData(): StateData {
  return {
    databases: new Map(),
    users: new Map(),
    identities: new Map(),
    teams: new Map(),
    buckets: new Map(),
    functions: new Map(),
    providers: new Map(),
    topics: new Map(),
    messages: new Map(),
  };
}

/** The state as handlers read it. */
export type StateView = ReadonlyDeep<StateData>;
