import type { Model, StateView } from './state-data.js';
import { fail } from './state-failure.js';

/**
 * What Appwrite 1.5.0 checks of a new message before it stores it (app/controllers/api/messaging.php,
 * createEmail 2606-2668, createSms 2753-2791, createPush 2878-2936 at 1.5.0): its status, that a message to be
 * sent has recipients, that every target ID is a target of the message's channel, and the files it names.
 */

type Channel = 'email' | 'sms' | 'push';

const NOT_OF_CHANNEL = { email: 'message_target_not_email', sms: 'message_target_not_sms', push: 'message_target_not_push' } as const;

/** `draft`, else `processing` (the queue takes it), or `scheduled` with a time. */
export function messageStatus(params: Record<string, unknown>): 'draft' | 'processing' | 'scheduled' {
  if (params.draft === true) return 'draft';
  return typeof params.scheduledAt === 'string' ? 'scheduled' : 'processing';
}

/** A message to be sent needs topics, users or targets; the targets (with cc and bcc for an email) must be of its channel. */
export function checkRecipients(data: StateView, channel: Channel, params: Record<string, unknown>, status: string): void {
  const list = (name: string): string[] => (Array.isArray(params[name]) ? (params[name] as unknown[]).map(String) : []);
  const targets = list('targets');
  if (status !== 'draft' && list('topics').length === 0 && list('users').length === 0 && targets.length === 0) fail('message_missing_target');
  const named = channel === 'email' ? [...targets, ...list('cc'), ...list('bcc')] : targets;
  if (named.length === 0) return;
  const ofChannel = new Set<string>();
  for (const user of data.users.values()) for (const target of user.targets.values()) if (target.providerType === channel) ofChannel.add(String(target.$id));
  // @note Appwrite counts the distinct targets found against the IDs given, so a repeated ID fails too.
  if (new Set(named.filter((id) => ofChannel.has(id))).size !== named.length) fail(NOT_OF_CHANNEL[channel]);
}

/** Reads `bucketId:fileId` as CompoundUID does. */
function compound(value: unknown): [string, string] {
  const [bucketId = '', fileId = ''] = String(value).split(':');
  return [bucketId, fileId];
}

/** An email's attachments, each a file that exists, stored as `{bucketId, fileId}`. */
export function attachments(data: StateView, values: unknown): Model[] {
  if (!Array.isArray(values)) return [];
  return values.map((value) => {
    const [bucketId, fileId] = compound(value);
    const bucket = data.buckets.get(bucketId);
    if (!bucket) fail('storage_bucket_not_found');
    if (!bucket.files.has(fileId)) fail('storage_file_not_found');
    return { bucketId, fileId };
  });
}

/**
 * A push notification's image: a PNG or JPEG file that exists (a missing file is `storage_bucket_not_found`
 * too, messaging.php:2926-2930), stored with the URL a device fetches it from. The URL carries no `jwt`:
 * the route it names is not part of the API this tool serves.
 */
export function pushImage(data: StateView, value: unknown, project: string): Model | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const [bucketId, fileId] = compound(value);
  const file = data.buckets.get(bucketId)?.files.get(fileId);
  if (!file) fail('storage_bucket_not_found');
  if (!['image/png', 'image/jpeg'].includes(String(file.model.mimeType))) fail('storage_file_type_unsupported');
  return { bucketId, fileId, url: `http://localhost/v1/storage/buckets/${bucketId}/files/${fileId}/push?project=${encodeURIComponent(project)}` };
}
