import { deserialize, serialize } from 'node:v8';
import type { Low } from 'lowdb';
import { VcrError } from '../errors/vcr-error.js';
import { errorResponse } from '../model/error-response.js';
import type { VcrResponse } from '../model/exchange.js';
import { accountRoutes } from './account.js';
import { auditLogRoutes } from './audit-logs.js';
import { attributeRoutes } from './attributes.js';
import { databaseRoutes } from './databases.js';
import { documentRoutes } from './documents.js';
import { functionRoutes } from './functions.js';
import { healthRoutes } from './health.js';
import { localeRoutes } from './locale.js';
import { messagingRoutes } from './messaging.js';
import { parseState, stringifyState } from './state-codec.js';
import { emptyData, type Model, type StateData } from './state-data.js';
import { StateFailure } from './state-failure.js';
import { lockStateFile, readStateFile, stateWriter } from './state-file.js';
import type { Unlock } from '../model/file-lock.js';
import type { SessionHit, SessionResolver } from '../auth/caller.js';
import { JwtSigner } from '../auth/jwt.js';
import { Outbox } from './outbox.js';
import type { ChangeListener, StateChange } from './change.js';
import { findSession } from './session-index.js';
import { moreFactorsRequired } from './mfa.js';
import type { StateHandler, StateRequest } from './state-request.js';
import { Tx } from './tx.js';
import { rolesOfUser } from '../permissions/roles-of.js';
import { storageRoutes } from './storage.js';
import { teamRoutes } from './teams.js';
import { userRoutes, userView } from './users.js';
import { userMfaRoutes } from './users-mfa.js';

const ROUTES: ReadonlyMap<string, StateHandler> = new Map(
  Object.entries({
    ...databaseRoutes,
    ...attributeRoutes,
    ...documentRoutes,
    ...userRoutes,
    ...userMfaRoutes,
    ...teamRoutes,
    ...storageRoutes,
    ...functionRoutes,
    ...messagingRoutes,
    ...accountRoutes,
    ...healthRoutes,
    ...localeRoutes,
    ...auditLogRoutes,
  }),
);

/** @note Writes are coalesced: many changes in a burst make one file write. */
const WRITE_DELAY_MS = 20;

export interface AppwriteStateOptions {
  /** The Appwrite version errors report. */
  version: string;
  /** File the state persists to across restarts; none keeps it in memory only. */
  file?: string | null;
  /** Starting state, loaded when there is no state file yet and on every reset. */
  seed?: string | null;
  /** Hears of a failed state write as soon as it fails (`flush` and `close` still throw it). */
  onWriteError?: (error: VcrError) => void;
}

/**
 * What a run created, answered the way Appwrite would: a model of Appwrite's services
 * (databases, users, teams, storage, functions, messaging, account) held in Maps by ID.
 */
export class AppwriteState {
  readonly #version: string;
  readonly #writer: Low<StateData> | null;
  readonly #seed: string | null;
  readonly #unlock: Unlock | null;
  readonly #onWriteError: ((error: VcrError) => void) | undefined;
  #data: StateData;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown = null;
  readonly #listeners: ChangeListener[] = [];

  private constructor(options: AppwriteStateOptions, data: StateData, seed: string | null, unlock: Unlock | null) {
    this.#version = options.version;
    this.#writer = options.file ? stateWriter(options.file) : null;
    this.#seed = seed;
    this.#data = data;
    this.#unlock = unlock;
    this.#onWriteError = options.onWriteError;
  }

  /**
   * Loads the state file (or else the seed), holding the state file's lock until `close`; throws
   * `STATE_LOCKED` when another running process holds it, `STATE_MALFORMED` for a broken file.
   */
  static async open(options: AppwriteStateOptions): Promise<AppwriteState> {
    const unlock = options.file ? await lockStateFile(options.file) : null;
    try {
      const seed = options.seed ? await readStateFile(options.seed, false) : null;
      const saved = options.file ? await readStateFile(options.file, true) : null;
      const seedText = seed ? stringifyState(seed) : null;
      return new AppwriteState(options, saved ?? (seedText ? parseState(seedText) : emptyData()), seedText, unlock);
    } catch (err) {
      await unlock?.();
      throw err;
    }
  }

  /** Waits for pending writes, then releases the state file's lock; throws `STATE_WRITE_FAILED` if a write failed. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#unlock?.();
    }
  }

  /** Works out the user behind a session or a JWT from the sessions this state issued. */
  readonly sessions: SessionResolver = {
    session: (userId, secret) => {
      const hit = findSession(this.#data.users, userId, secret);
      return hit ? this.#hit(hit.userId, hit.sessionId, true) : null;
    },
    jwt: (token) => {
      const claims = this.#jwt.verify(token);
      if ('invalid' in claims) return claims;
      // app/init.php:1207-1213 at 1.5.0: a JWT whose session is gone (signed out, deleted) makes a guest.
      return this.#data.users.get(claims.userId)?.sessions.has(claims.sessionId) ? this.#hit(claims.userId, claims.sessionId, false) : null;
    },
  };

  /** A user as `GET /account` answers it (a copy) and the roles it holds now; null when the state has no such user. */
  user(userId: string): { account: Model; roles: ReadonlySet<string> } | null {
    const entry = this.#data.users.get(userId);
    const roles = rolesOfUser(userId, this.#data);
    if (!entry || !roles) return null;
    return { account: structuredClone(userView(entry)), roles };
  }

  /** The model of a collection (`ids`: databaseId, collectionId) or a bucket (bucketId), a copy; null when the state has none. */
  container(kind: 'collection' | 'bucket', ids: Readonly<Record<string, string>>): Model | null {
    const model =
      kind === 'collection'
        ? this.#data.databases.get(ids.databaseId ?? '')?.collections.get(ids.collectionId ?? '')?.model
        : this.#data.buckets.get(ids.bucketId ?? '')?.model;
    return model ? structuredClone(model) : null;
  }

  /** Every message a real Appwrite would have sent by email or SMS, newest last; a reset clears it. */
  readonly outbox = new Outbox();

  /** Signs the JWTs `POST /account/jwt` hands out; its key lives only in this process. */
  readonly #jwt = new JwtSigner();

  /**
   * `bySession`: the caller sent the session itself. @note Appwrite's MFA check looks at the session its
   * cookie names (the `session` resource, app/init.php:1241-1261 at 1.5.0); a JWT names none there, so it is not asked for more factors.
   */
  #hit(userId: string, sessionId: string, bySession: boolean): SessionHit | null {
    const user = this.#data.users.get(userId);
    if (!user) return null;
    const session = user.sessions.get(sessionId);
    const moreFactors = bySession && session !== undefined && moreFactorsRequired(user, session);
    return { userId, sessionId, email: String(user.model.email ?? ''), blocked: user.model.status === false, moreFactorsRequired: moreFactors };
  }

  /**
   * Hears of every request that changed the state, once its handler has returned, with what it changed.
   * Listeners run in the order they subscribed; returns the unsubscribe function.
   */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at !== -1) this.#listeners.splice(at, 1);
    };
  }

  /** Appwrite's answer to the request, or null when the state does not model it. */
  answer(request: StateRequest): VcrResponse | null {
    const handler = ROUTES.get(request.operationId);
    if (!handler) return null;
    const tx = new Tx();
    let response: VcrResponse | null;
    try {
      response = handler(Object.assign({ data: this.#data, tx, jwt: this.#jwt, outbox: this.outbox }, request));
    } catch (err) {
      if (!(err instanceof StateFailure)) throw err;
      response = errorResponse(err.type, this.#version, err.message || undefined, err.status);
    }
    // @note A failure is raised before a handler writes; whatever was written is saved and heard of all the same.
    if (tx.dirty) this.#changed();
    // A team invitation's message goes to the outbox like the account's messages do.
    for (const m of tx.messages)
      this.outbox.add({ kind: m.kind, channel: m.email ? 'email' : 'sms', to: m.email || m.phone, userId: m.userId, secret: m.secret, url: m.url });
    if (tx.changes.length > 0) this.#emit({ operationId: request.operationId, caller: request.caller, changes: tx.changes, messages: tx.messages });
    return response;
  }

  #emit(change: StateChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }

  /**
   * Remembers the state as it is now; the function returned puts it back (and saves it so). `verify` uses it
   * to undo what the model wrote for a request that the recorded Appwrite refused, since a refused request
   * changes nothing there. The outbox is left as it is.
   */
  checkpoint(): () => void {
    // v8's serializer keeps Buffers Buffers (structuredClone makes them plain Uint8Arrays).
    const saved = serialize(this.#data);
    return () => {
      this.#data = deserialize(saved) as StateData;
      this.#changed();
    };
  }

  /** Back to the seed (or to nothing), and saved so. */
  reset(): void {
    this.#data = this.#seed ? parseState(this.#seed) : emptyData();
    this.outbox.clear();
    this.#changed();
  }

  /** Waits for pending writes; throws `STATE_WRITE_FAILED` if one failed. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#write();
    }
    await this.#writing;
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = null;
      throw failure;
    }
  }

  #changed(): void {
    if (!this.#writer || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#write();
    }, WRITE_DELAY_MS);
  }

  #write(): void {
    const writer = this.#writer;
    if (!writer) return;
    writer.data = this.#data;
    this.#writing = this.#writing
      .then(() => writer.write())
      .catch((err: unknown) => {
        // The old file is left as it was (the write goes to a temporary file first); the next change tries again.
        const failure = new VcrError('STATE_WRITE_FAILED', `Failed to write state: ${(err as Error).message}`, {}, { cause: err });
        this.#failure = failure;
        this.#onWriteError?.(failure);
      });
  }
}
