import { sha256 } from '../model/body.js';
import { parseJson } from '../model/parse-json.js';
import { emptyData, type StateData } from './state-data.js';

/** Format marker and version of a state file, checked on load. */
export const STATE_FORMAT = 'appwrite-vcr-state';
export const STATE_VERSION = 1;

interface StateFile {
  format: typeof STATE_FORMAT;
  version: number;
  data: unknown;
}

/** Prefix of a session or token secret kept as its digest: the file never holds the secret itself. */
export const SECRET_DIGEST = 'sha256:';
const REDACTED = '[redacted]';

/** The form in which a secret is kept on disk, and compared once read back. */
export function secretDigest(secret: string): string {
  return secret === '' || secret.startsWith(SECRET_DIGEST) ? secret : `${SECRET_DIGEST}${sha256(secret)}`;
}

/**
 * JSON of the state: Maps as `{"$map": [[key, value]...]}`, bytes as `{"$bytes": base64}`.
 * @note Secrets never reach the file in plain text: session and token secrets are kept as their
 * digest (they still authenticate after a restart, as Appwrite itself stores them hashed), and so are MFA
 * challenge codes and recovery codes (still accepted after a restart, read back as digests); imported
 * password hashes, provider credentials, function variable values and TOTP secrets as a placeholder
 * (answers after a restart show it; a TOTP authenticator read back accepts no code).
 */
export function stringifyState(data: StateData): string {
  const file: StateFile = { format: STATE_FORMAT, version: STATE_VERSION, data };
  return JSON.stringify(file, function replacer(this: unknown, key: string, value: unknown) {
    const holder = this as Record<string, unknown>;
    const raw = holder[key];
    if (raw instanceof Map) return { $map: [...raw.entries()] };
    if (Buffer.isBuffer(raw)) return { $bytes: raw.toString('base64') };
    // Only the models that hold secrets: a document attribute that happens to be named `secret` is data.
    if (key === 'secret' && typeof raw === 'string' && 'userId' in holder && 'expire' in holder) return secretDigest(raw);
    // An MFA entry's TOTP secret cannot be a digest (codes are computed from it) and recovery codes are compared only.
    if (key === 'secret' && typeof raw === 'string' && holder.type === 'totp' && 'verified' in holder) return REDACTED;
    if (key === 'recoveryCodes' && Array.isArray(raw) && 'challenges' in holder)
      return raw.map((code) => (typeof code === 'string' ? secretDigest(code) : code));
    if (key === 'password' && typeof raw === 'string' && raw !== '' && 'hash' in holder && 'registration' in holder) return REDACTED;
    if (key === 'credentials' && raw !== null && typeof raw === 'object' && 'provider' in holder && 'type' in holder)
      return Object.fromEntries(Object.keys(raw).map((name) => [name, REDACTED]));
    if (key === 'value' && typeof raw === 'string' && raw !== '' && 'resourceType' in holder && 'key' in holder) return REDACTED;
    return value;
  });
}

/** Reads a state file's text; throws an Error with the reason when it is not one. */
export function parseState(text: string): StateData {
  const file = parseJson(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.$map) && Object.keys(record).length === 1) return new Map(record.$map as [string, unknown][]);
      if (typeof record.$bytes === 'string' && Object.keys(record).length === 1) return Buffer.from(record.$bytes, 'base64');
    }
    return value;
  }) as Partial<StateFile>;
  if (file?.format !== STATE_FORMAT) throw new Error(`not an appwrite-vcr state file (format is ${JSON.stringify(file?.format)})`);
  if (file.version !== STATE_VERSION) throw new Error(`state version ${String(file.version)} is not supported (expected ${STATE_VERSION})`);
  const data = { ...emptyData(), ...(file.data as Partial<StateData>) };
  for (const [name, value] of Object.entries(data)) if (!(value instanceof Map)) throw new Error(`"${name}" is not a table`);
  return data;
}
