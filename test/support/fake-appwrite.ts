/**
 * A small stand-in for a real Appwrite 1.5 server, run as its own process by the record tests:
 * databases, collections, attributes, documents (with `equal` and `order*` queries), users, sessions,
 * account, buckets, chunked file uploads and downloads, with real state. Answers are shaped by the
 * 1.5.0 spec (the schema fallback fills what the state does not hold), JSON is gzip-compressed when the
 * client accepts it, and an API key and session secrets are checked like Appwrite does.
 *
 * Test hooks: a request with `x-test-hang` is never answered; `GET /__fake/log` lists the requests seen;
 * `GET /v1/health/time` answers off contract.
 * Prints `listening http://127.0.0.1:PORT/v1` once ready (https with `FAKE_TLS=1`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { DEFAULT_SPEC } from '../../src/config/defaults.js';
import { generateResponse } from '../../src/fallback/generate-response.js';
import { parseMultipart } from '../../src/match/parse-multipart.js';
import { parseQuery } from '../../src/match/parse-query.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { totpCode, totpStep } from './totp.js';

export const FAKE_API_KEY = process.env.FAKE_API_KEY ?? 'standard_fake0key0for0recording0tests';

type Doc = Record<string, unknown>;
const spec = await loadSpec(DEFAULT_SPEC);
const databases = new Map<string, Doc>();
const collections = new Map<string, Doc & { attributes: Doc[]; documents: Doc[] }>();
const users = new Map<string, Doc>();
const sessions = new Map<string, Doc>();
const buckets = new Map<string, Doc>();
const files = new Map<string, { model: Doc; bytes: Buffer[]; total: number }>();
const jwts = new Map<string, Doc>();
const totpSecrets = new Map<string, string>();
const challenges = new Map<string, Doc>();
const log: { method: string; url: string; headers: IncomingMessage['headers']; bytes: number }[] = [];

class Fail extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const now = (): string => new Date().toISOString().replace('Z', '+00:00');
const serverId = (): string =>
  Math.floor(Date.now() / 1000).toString(16) + (Date.now() % 1000).toString(16).padStart(5, '0') + randomBytes(4).toString('hex').slice(0, 7);

function shaped(operationId: string, params: Record<string, unknown>, state: Doc): Doc {
  const operation = spec.byId.get(operationId);
  if (!operation) throw new Error(`no operation ${operationId}`);
  const generated = generateResponse({ operation, params, requestDigest: JSON.stringify(params), schemas: spec.schemas }).body;
  const base = generated?.kind === 'json' ? (generated.value as Doc) : {};
  return { ...base, ...state };
}

function requireKey(headers: IncomingMessage['headers']): void {
  if (headers['x-appwrite-key'] !== FAKE_API_KEY)
    throw new Fail(401, 'general_unauthorized_scope', 'app.missing-project-key is missing scope (databases.write)');
}

function sessionOf(headers: IncomingMessage['headers']): Doc {
  const session = sessions.get(String(headers['x-appwrite-session'] ?? ''));
  if (!session) throw new Fail(401, 'general_unauthorized_scope', 'User (role: guests) missing scope (account)');
  return session;
}

function checkOtp(userId: string, otp: unknown): void {
  const secret = totpSecrets.get(userId);
  const step = totpStep();
  if (!secret || (otp !== totpCode(secret, step) && otp !== totpCode(secret, step - 1)))
    throw new Fail(401, 'user_invalid_token', 'Invalid token passed in the request.');
}

function found<T>(map: Map<string, T>, id: string, type: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Fail(404, type, `The requested resource could not be found (${id}).`);
  return value;
}

function applyQueries(documents: Doc[], queries: string[]): Doc[] {
  let out = [...documents];
  for (const text of queries) {
    const q = JSON.parse(text) as { method: string; attribute?: string; values?: unknown[] };
    const attr = q.attribute ?? '';
    if (q.method === 'equal') out = out.filter((d) => (q.values ?? []).includes(d[attr]));
    else if (q.method === 'orderAsc' || q.method === 'orderDesc') {
      const sign = q.method === 'orderAsc' ? 1 : -1;
      out.sort((a, b) => (a[attr] === b[attr] ? 0 : (a[attr] as number) > (b[attr] as number) ? sign : -sign));
    } else if (q.method === 'limit') out = out.slice(0, Number(q.values?.[0]));
  }
  return out;
}

async function route(
  operationId: string,
  p: Record<string, string>,
  req: IncomingMessage,
  query: Record<string, string | string[]>,
  raw: Buffer,
): Promise<{ status: number; json?: unknown; bytes?: Buffer; headers?: Record<string, string> }> {
  const body = (req.headers['content-type'] ?? '').startsWith('application/json') && raw.length > 0 ? (JSON.parse(raw.toString()) as Doc) : {};
  const stamp = { $createdAt: now(), $updatedAt: now() };
  switch (operationId) {
    case 'databasesCreate': {
      requireKey(req.headers);
      const id = String(body.databaseId);
      const model = shaped(operationId, body, { $id: id, name: body.name, enabled: true, ...stamp });
      databases.set(id, model);
      return { status: 201, json: model };
    }
    case 'databasesCreateCollection': {
      requireKey(req.headers);
      found(databases, p.databaseId as string, 'database_not_found');
      const id = String(body.collectionId);
      const model = shaped(
        operationId,
        { ...p, ...body },
        {
          $id: id,
          databaseId: p.databaseId,
          name: body.name,
          $permissions: body.permissions ?? [],
          attributes: [],
          indexes: [],
          documentSecurity: false,
          enabled: true,
          ...stamp,
        },
      );
      collections.set(`${p.databaseId}/${id}`, Object.assign(model, { documents: [] as Doc[], attributes: [] as Doc[] }));
      return { status: 201, json: { ...model, documents: undefined } };
    }
    case 'databasesCreateStringAttribute':
    case 'databasesCreateIntegerAttribute': {
      requireKey(req.headers);
      const collection = found(collections, `${p.databaseId}/${p.collectionId}`, 'collection_not_found');
      const type = operationId.includes('String') ? 'string' : 'integer';
      const model = shaped(
        operationId,
        { ...p, ...body },
        { key: body.key, type, status: 'available', error: '', required: body.required, array: false, ...(type === 'string' ? { size: body.size } : {}) },
      );
      collection.attributes.push(model);
      return { status: 202, json: model };
    }
    case 'databasesCreateDocument': {
      requireKey(req.headers);
      const collection = found(collections, `${p.databaseId}/${p.collectionId}`, 'collection_not_found');
      const doc: Doc = {
        $id: body.documentId,
        $collectionId: p.collectionId,
        $databaseId: p.databaseId,
        ...stamp,
        $permissions: body.permissions ?? [],
        ...(body.data as Doc),
      };
      collection.documents.push(doc);
      return { status: 201, json: doc };
    }
    case 'databasesListDocuments': {
      requireKey(req.headers);
      const collection = found(collections, `${p.databaseId}/${p.collectionId}`, 'collection_not_found');
      const queries = query.queries === undefined ? [] : Array.isArray(query.queries) ? query.queries : [query.queries];
      const documents = applyQueries(collection.documents, queries);
      return { status: 200, json: { total: documents.length, documents } };
    }
    case 'usersCreate': {
      requireKey(req.headers);
      const id = String(body.userId);
      const model = shaped(operationId, body, {
        $id: id,
        ...stamp,
        name: body.name ?? '',
        email: body.email ?? '',
        phone: '',
        password: `$argon2id$v=19$m=65536,t=4,p=3$${randomBytes(12).toString('base64')}`,
        hash: 'argon2',
        hashOptions: { type: 'argon2', memoryCost: 65536, timeCost: 4, threads: 3 },
        labels: [],
        prefs: {},
        targets: [],
        status: true,
        mfa: false,
        emailVerification: false,
        phoneVerification: false,
        registration: now(),
        passwordUpdate: now(),
        accessedAt: now(),
      });
      users.set(id, model);
      return { status: 201, json: model };
    }
    case 'usersCreateSession': {
      requireKey(req.headers);
      const user = found(users, p.userId as string, 'user_not_found');
      const secret = randomBytes(64).toString('hex');
      const session = shaped(operationId, p, {
        $id: serverId(),
        $createdAt: now(),
        userId: user.$id,
        expire: now(),
        provider: 'server',
        providerUid: '',
        providerAccessToken: '',
        providerAccessTokenExpiry: '',
        providerRefreshToken: '',
        current: false,
        factors: ['server'],
        secret,
        mfaUpdatedAt: '',
      });
      sessions.set(secret, session);
      return { status: 201, json: session };
    }
    case 'accountGet': {
      const jwt = jwts.get(String(req.headers['x-appwrite-jwt'] ?? ''));
      if (jwt) return { status: 200, json: users.get(String(jwt.userId)) };
      return { status: 200, json: users.get(String(sessionOf(req.headers).userId)) };
    }
    case 'accountCreateJWT': {
      const session = sessionOf(req.headers);
      const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const jwt = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ userId: session.userId, sessionId: session.$id, exp: Math.floor(Date.now() / 1000) + 900 })}.${randomBytes(32).toString('base64url')}`;
      jwts.set(jwt, session);
      return { status: 201, json: { jwt } };
    }
    case 'usersCreateToken': {
      requireKey(req.headers);
      const user = found(users, p.userId as string, 'user_not_found');
      const length = Number(body.length ?? 6);
      return {
        status: 201,
        json: { $id: serverId(), $createdAt: now(), userId: user.$id, secret: randomBytes(length).toString('hex').slice(0, length), expire: now(), phrase: '' },
      };
    }
    // TOTP: the authenticator's secret is made here; a code is accepted for the current 30 s step and the one before.
    case 'accountCreateMfaAuthenticator': {
      const session = sessionOf(req.headers);
      const secret = Array.from(randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
      totpSecrets.set(String(session.userId), secret);
      return { status: 200, json: { secret, uri: `otpauth://totp/fake:${String(session.userId)}?secret=${secret}&issuer=fake` } };
    }
    case 'accountUpdateMfaAuthenticator': {
      const session = sessionOf(req.headers);
      checkOtp(String(session.userId), body.otp);
      const user = found(users, String(session.userId), 'user_not_found');
      user.mfa = true;
      return { status: 200, json: user };
    }
    case 'accountCreateMfaChallenge': {
      const session = sessionOf(req.headers);
      const challenge = { $id: serverId(), $createdAt: now(), userId: session.userId, expire: now() };
      challenges.set(String(challenge.$id), challenge);
      return { status: 201, json: challenge };
    }
    case 'accountUpdateMfaChallenge': {
      const session = sessionOf(req.headers);
      const challenge = found(challenges, String(body.challengeId), 'user_invalid_token');
      checkOtp(String(challenge.userId), body.otp);
      session.factors = ['password', 'totp'];
      session.mfaUpdatedAt = now();
      return { status: 204, bytes: Buffer.alloc(0) };
    }
    case 'storageCreateBucket': {
      requireKey(req.headers);
      const id = String(body.bucketId);
      const model = shaped(operationId, body, {
        $id: id,
        name: body.name,
        ...stamp,
        $permissions: [],
        fileSecurity: false,
        enabled: true,
        maximumFileSize: 30_000_000,
        allowedFileExtensions: [],
        compression: 'none',
        encryption: false,
        antivirus: false,
      });
      buckets.set(id, model);
      return { status: 201, json: model };
    }
    case 'storageCreateFile': {
      requireKey(req.headers);
      found(buckets, p.bucketId as string, 'storage_bucket_not_found');
      const form = await parseMultipart(raw, req.headers as Record<string, string>, 0);
      const part = form.files[0];
      const bytes = form.bytes.get('file') ?? Buffer.alloc(0);
      const fileId = String(req.headers['x-appwrite-id'] ?? form.fields.fileId);
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
      const total = range ? Number(range[3]) : bytes.length;
      const entry = files.get(`${p.bucketId}/${fileId}`) ?? { model: {}, bytes: [], total };
      entry.bytes.push(bytes);
      entry.model = shaped(
        operationId,
        { ...p, fileId },
        {
          $id: fileId,
          bucketId: p.bucketId,
          ...stamp,
          $permissions: [],
          name: part?.filename ?? '',
          signature: '',
          mimeType: 'application/octet-stream',
          sizeOriginal: total,
          chunksTotal: Math.max(1, Math.ceil(total / 5_242_880)),
          chunksUploaded: entry.bytes.length,
        },
      );
      files.set(`${p.bucketId}/${fileId}`, entry);
      return { status: 201, json: entry.model };
    }
    case 'storageGetFile':
      requireKey(req.headers);
      return { status: 200, json: found(files, `${p.bucketId}/${p.fileId}`, 'storage_file_not_found').model };
    case 'storageGetFileDownload': {
      requireKey(req.headers);
      const entry = found(files, `${p.bucketId}/${p.fileId}`, 'storage_file_not_found');
      return {
        status: 200,
        bytes: Buffer.concat(entry.bytes),
        headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${String(entry.model.name)}"` },
      };
    }
    case 'healthGet':
      return { status: 200, json: { name: 'http', ping: 1, status: 'pass' } };
    case 'healthGetTime':
      // Off contract on purpose: `remoteTime` must be an integer, `localTime` and `diff` are missing.
      return { status: 200, json: { remoteTime: 'soon' } };
    default:
      throw new Fail(404, 'general_route_not_found', `The fake Appwrite does not serve ${operationId}.`);
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, bytes: Buffer, headers: Record<string, string>): void {
  const gzip = headers['content-type'] === 'application/json' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const out = gzip ? gzipSync(bytes) : bytes;
  res.writeHead(status, { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': out.length, 'x-debug-version': '1.5.0' });
  res.end(out);
}

const listener: RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const url = req.url ?? '/';
    if (req.headers['x-test-hang']) return;
    if (url === '/__fake/log') return send(req, res, 200, Buffer.from(JSON.stringify(log)), { 'content-type': 'application/json' });
    log.push({ method: req.method ?? 'GET', url, headers: req.headers, bytes: raw.length });
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const match = path.startsWith('/v1/') ? spec.router.match(req.method ?? 'GET', path, 3) : null;
    const fail = (status: number, type: string, message: string): void =>
      send(req, res, status, Buffer.from(JSON.stringify({ message, code: status, type, version: '1.5.0' })), { 'content-type': 'application/json' });
    if (!match) return fail(404, 'general_route_not_found', 'The requested route was not found. Please refer to the API docs and try again.');
    route(match.operation.operationId, match.params, req, parseQuery(q === -1 ? '' : url.slice(q + 1)), raw).then(
      (answer) => {
        if (answer.bytes) send(req, res, answer.status, answer.bytes, answer.headers ?? {});
        else send(req, res, answer.status, Buffer.from(JSON.stringify(answer.json)), { 'content-type': 'application/json' });
      },
      (err: unknown) => (err instanceof Fail ? fail(err.status, err.type, err.message) : fail(500, 'general_unknown', String(err))),
    );
  });
};
// FAKE_TLS=1 serves https with the self-signed certificate of test/support/tls.
const tls = process.env.FAKE_TLS === '1';
const tlsFile = (name: string): Buffer => readFileSync(new URL(`./tls/${name}`, import.meta.url));
const server = tls ? createTlsServer({ key: tlsFile('self-signed.key'), cert: tlsFile('self-signed.crt') }, listener) : createServer(listener);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/v1\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
