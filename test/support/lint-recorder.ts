import { decodeBody, mediaTypeOf } from '../../src/model/body.js';
import type { Headers } from '../../src/model/exchange.js';
import type { Interaction } from '../../src/model/interaction.js';
import { parseQuery } from '../../src/match/parse-query.js';
import type { Call } from '../../scripts/lint-traffic.js';
import { writeCassette } from './cassette.js';
import type { TestServer } from './server.js';

/** What recording puts in place of a secret. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['x-appwrite-key', 'x-appwrite-session', 'x-appwrite-jwt', 'cookie', 'authorization']);

/** Headers the official node SDK (13.0.0) sends with every call. */
const SDK_HEADERS = {
  'x-appwrite-response-format': '1.5.0',
  'x-sdk-name': 'Node.js',
  'x-sdk-platform': 'server',
  'x-sdk-language': 'nodejs',
  'x-sdk-version': '13.0.0',
  'user-agent': 'AppwriteNodeJSSDK/13.0.0 (linux; x64)',
  accept: '*/*',
} as const;

/**
 * Sends each call to a running server over HTTP and keeps the exchange as a cassette interaction,
 * credentials redacted as recording does: the headers stay, their values become a placeholder.
 */
export async function recordCalls(server: TestServer, calls: readonly Call[]): Promise<Interaction[]> {
  const interactions: Interaction[] = [];
  // @note A call made with a session goes as the SDK sends it, with the session the last sign-in answered
  // and no key: a key beside a session that resolves to a user is refused (403 user_key_and_session_set).
  let session: string | null = null;
  for (const [i, call] of calls.entries()) {
    const headers: Record<string, string> = { ...SDK_HEADERS, 'content-type': 'application/json', ...call.headers };
    const withSession = headers['x-appwrite-session'] !== undefined;
    if (withSession && session !== null) headers['x-appwrite-session'] = session;
    if (withSession) headers['x-appwrite-key'] = '';
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const started = performance.now();
    const res = await server.call(call.method, call.path, { body, headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    const q = call.path.indexOf('?');
    const sent: Headers = {};
    if (call.path === '/account/sessions/email' && res.status === 201) session = (JSON.parse(bytes.toString()) as { secret: string }).secret;
    for (const [name, value] of Object.entries({ 'x-appwrite-project': 'test-project', 'x-appwrite-key': 'test-key', ...headers })) {
      if (name === 'x-appwrite-key' && value === '') continue;
      sent[name.toLowerCase()] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
    }
    const received: Headers = {};
    res.headers.forEach((value, name) => {
      if (name !== 'date' && name !== 'connection' && name !== 'keep-alive' && name !== 'content-length') received[name] = value;
    });
    const route = server.spec.router.match(call.method, q === -1 ? call.path : call.path.slice(0, q));
    interactions.push({
      id: `rec-${String(i).padStart(4, '0')}`,
      operationId: route?.operation.operationId ?? null,
      recordedAt: new Date().toISOString(),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      request: {
        method: call.method,
        path: `/v1${q === -1 ? call.path : call.path.slice(0, q)}`,
        query: { ...parseQuery(q === -1 ? '' : call.path.slice(q + 1)) },
        headers: sent,
        body: body === undefined ? null : { kind: 'json', value: call.body },
      },
      response: { status: res.status, headers: received, body: decodeBody(bytes, mediaTypeOf(res.headers.get('content-type') ?? ''), true) },
    });
  }
  return interactions;
}

/** Records the app flow of two users through a real replay server (1.5.0) into `DIR/app/flow-N.json`. */
export async function recordAppFlow(server: TestServer, dir: string, flows: readonly Call[][]): Promise<void> {
  for (const [n, flow] of flows.entries()) await writeCassette(dir, `app/flow-${n}`, await recordCalls(server, flow));
}
