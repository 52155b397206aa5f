import type { Query } from '../model/exchange.js';

/**
 * The channels a connection asked for: `channels[]=a&channels[]=b` (the web SDK) or `channels[0]=a`
 * (PHP's `http_build_query`, which Appwrite's own tests send), in order, repeats dropped. A bare
 * `channels=a` is no list and gives none, as an SDK never sends it.
 */
export function requestedChannels(query: Query): string[] {
  const channels = query.channels;
  return Array.isArray(channels) ? [...new Set(channels)] : [];
}

/**
 * The channels a connection is subscribed to (`Realtime::convertChannels` at 1.5.0): every `account.*`
 * it asked for is dropped, and a signed-in user who asked for `account` also gets `account.<userId>`, last.
 */
export function convertChannels(channels: readonly string[], userId: string | null): string[] {
  const out = channels.filter((channel) => !channel.startsWith('account.'));
  if (userId && out.includes('account')) out.push(`account.${userId}`);
  return out;
}
