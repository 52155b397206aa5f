import type { VcrResponse } from '../model/exchange.js';

/**
 * A difference between the model and a recording that comes from the recorded server's setup or timing,
 * not from what the app did: the recorded Appwrite had no SMTP server, no builder, no internet, or its
 * worker had not caught up yet. Reported apart from the differences, with the reason, and not failing
 * `verify`; the README lists each with why the model answers as it does.
 */
export interface Explanation {
  /** A stable name, e.g. `upstream-without-smtp`. */
  id: string;
  /** Why the recording differs, with the Appwrite source it comes from. */
  reason: string;
}

export interface ComparedExchange {
  operationId: string;
  /** The recorded request's path. */
  path: string;
  /** IDs named by earlier requests that could not be sent again (what they would have made, the model never had). */
  unreplayed: ReadonlySet<string>;
  recorded: VcrResponse;
  live: VcrResponse;
  differences: readonly string[];
}

interface Rule extends Explanation {
  explains(exchange: ComparedExchange): boolean;
}

function errorTypeOf(response: VcrResponse): string | undefined {
  const body = response.body;
  if (response.status < 400 || body?.kind !== 'json' || body.value === null || typeof body.value !== 'object') return undefined;
  const type = (body.value as Record<string, unknown>).type;
  return typeof type === 'string' ? type : undefined;
}

/** The recorded answer is an error of one of these types. */
function recordedError(...types: string[]): (exchange: ComparedExchange) => boolean {
  const wanted = new Set(types);
  return ({ recorded }) => wanted.has(errorTypeOf(recorded) ?? '');
}

/**
 * Every difference is a field of `fields` (at the top, or in the items of a list) whose recorded value is one
 * of `transient`: a resource the recorded server had not finished yet.
 */
function onlyTransient(fields: readonly string[], transient: readonly string[]): (exchange: ComparedExchange) => boolean {
  const names = fields.join('|');
  const pattern = new RegExp(`^\\$(\\.\\w+\\[\\d+\\])?\\.(${names}): .*, recorded (.*)$`);
  return ({ recorded, live, differences }) => {
    if (recorded.status !== live.status || differences.length === 0) return false;
    let transientSeen = false;
    for (const line of differences) {
      const match = pattern.exec(line);
      if (!match) return false;
      const was = match[3] ?? '';
      if (transient.includes(was)) transientSeen = true;
    }
    return transientSeen;
  };
}

/** A deployment the recorded server never built: no build, status still waiting (or not set yet). */
const DEPLOYMENT_UNBUILT = onlyTransient(['status', 'buildId', 'buildTime', 'buildLogs', 'buildSize'], ['"waiting"', '"processing"', '"building"', '""']);

/** What a server without a builder answers about builds, deployments and the functions queue. */
const BUILD_ERRORS = recordedError('build_not_found', 'deployment_not_found', 'health_queue_size_exceeded');

/** An attribute or index the recorded server's worker had not built yet. */
const ATTRIBUTE_PROCESSING = onlyTransient(['status'], ['"processing"']);

const RULES: readonly Rule[] = [
  {
    id: 'after-not-replayable',
    reason:
      "the request that made the resource could not be sent again (a file part larger than the recorder's store limit keeps only its size and digest in the cassette), so the model never had what the later requests ask for; raise `--store-file-limit` when recording to verify them",
    explains: ({ path, unreplayed }) => path.split('/').some((segment) => unreplayed.has(segment)),
  },
  {
    id: 'upstream-without-smtp',
    reason:
      'the recorded Appwrite had no SMTP server (`_APP_SMTP_HOST` empty: 503 general_smtp_disabled, app/controllers/api/account.php:1664, 1905, 2849, 3110, 3931 and teams.php:416 at 1.5.0); the model sends the message to its outbox (`GET /__vcr/outbox`), as a configured Appwrite would send it',
    explains: recordedError('general_smtp_disabled'),
  },
  {
    id: 'upstream-without-sms',
    reason:
      'the recorded Appwrite had no SMS provider (`_APP_SMS_PROVIDER` empty: 503 general_phone_disabled, account.php:2194, 3330, 3893 at 1.5.0); the model sends the code to its outbox',
    explains: recordedError('general_phone_disabled'),
  },
  {
    id: 'upstream-without-oauth2-app',
    reason:
      'the recorded project had no OAuth2 app configured (412 project_provider_disabled, account.php:1590-1602 at 1.5.0); the model takes every provider as enabled, so that an app can be tested through the redirect',
    explains: recordedError('project_provider_disabled'),
  },
  {
    id: 'upstream-without-internet',
    reason:
      'the recorded Appwrite could not reach the internet (avatars.php:283-418, health.php:420 at 1.5.0); the model draws the favicon or image itself and takes every certificate as valid, and never leaves 127.0.0.1',
    explains: recordedError('avatar_remote_url_failed', 'avatar_image_not_found', 'health_invalid_host'),
  },
  {
    id: 'upstream-without-builds',
    reason:
      'the recorded Appwrite had no function builder or executor, so its deployments stayed `waiting` and never became active (404 build_not_found / deployment_not_found, functions.php:863-957, 1351-1557; queue health 503, health.php:362-548 at 1.5.0); the model builds a deployment at once, so that executions can be tested',
    explains: (exchange) =>
      BUILD_ERRORS(exchange) ||
      (/Deployments?$/.test(exchange.operationId) && DEPLOYMENT_UNBUILT(exchange)) ||
      (exchange.operationId === 'healthGetQueueBuilds' && exchange.differences.every((line) => line.startsWith('$.size: '))),
  },
  {
    id: 'worker-catching-up',
    reason:
      "the recorded Appwrite's database worker had not built the attribute or index yet when it was read (`processing`, app/controllers/api/databases.php at 1.5.0 answers 202 and queues the work); the model builds it at once, so the first read after the create finds it `available`",
    explains: (exchange) => /^databases\w+(Attribute|Index|Indexes|Attributes)$/.test(exchange.operationId) && ATTRIBUTE_PROCESSING(exchange),
  },
  {
    id: 'appwrite-1.5.0-bug',
    reason:
      'the recorded Appwrite 1.5.0 failed with 500 general_unknown where later 1.5.x releases answer: `users.createSession` stores the session without `expire`, the MFA recovery codes fail after a challenge, a zstd-compressed bucket fails without the zstd extension; the model answers as the fixed releases do',
    explains: (exchange) => exchange.recorded.status === 500 && recordedError('general_unknown')(exchange),
  },
];

/** The explanation of a differing exchange, or undefined when the model is simply wrong there. */
export function explainDifference(exchange: ComparedExchange): Explanation | undefined {
  const rule = RULES.find((r) => r.explains(exchange));
  return rule ? { id: rule.id, reason: rule.reason } : undefined;
}

/** Every explanation `verify` knows, for the README and the report. */
export function knownExplanations(): Explanation[] {
  return RULES.map(({ id, reason }) => ({ id, reason }));
}
