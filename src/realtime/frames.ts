/**
 * The frames Appwrite 1.5's realtime server sends (app/realtime.php): `connected`, `event`, `response`
 * and `error`, each `{"type": ..., "data": ...}` as JSON text.
 */

export function connectedFrame(channels: readonly string[], user: unknown): string {
  return JSON.stringify({ type: 'connected', data: { channels, user } });
}

export function eventFrame(events: readonly string[], channels: readonly string[], timestamp: string, payload: unknown): string {
  return JSON.stringify({ type: 'event', data: { events, channels, timestamp, payload } });
}

export function authenticatedFrame(user: unknown): string {
  return JSON.stringify({ type: 'response', data: { to: 'authentication', success: true, user } });
}

/** An error: only `code` and `message`, no `type` or `version` as in REST errors. */
export function errorFrame(code: number, message: string): string {
  return JSON.stringify({ type: 'error', data: { code, message } });
}

/** Appwrite's codes for realtime errors (app/config/errors.php: `realtime_*`). */
export const REALTIME_CODES = Object.freeze({
  /** `realtime_message_format_invalid`: a bad message; the connection stays open. */
  messageFormatInvalid: 1003,
  /** `realtime_policy_violation`: refused at the upgrade; the connection is closed. */
  policyViolation: 1008,
});

/**
 * An event's time as Appwrite publishes it (`DateTime::formatTz(DateTime::now())`, utopia-php/database
 * 0.48.4): a string in UTC with milliseconds and `+00:00`, although the web SDK's type says number.
 */
export function eventTimestamp(now: Date = new Date()): string {
  return `${now.toISOString().slice(0, 23)}+00:00`;
}
