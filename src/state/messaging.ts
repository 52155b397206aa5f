import { resolveId } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import { extendableCopy } from '../model/extendable-copy.js';
import type { Model, ReadonlyDeep, StateView, TopicEntry } from './state-data.js';
import type { StateContext, StateHandler, StateRoutes } from './state-request.js';
import { attachments, checkRecipients, messageStatus, pushImage } from './message-recipients.js';
import { headerText } from '../model/header-value.js';
import { created, listReply, need } from './table.js';
import { newProviderSettings, updatedProviderSettings } from './provider-settings.js';

/** Provider kinds of the API: the name in the route, the provider, and its channel. */
const PROVIDERS: [route: string, provider: string, type: string][] = [
  ['Apns', 'apns', 'push'],
  ['Fcm', 'fcm', 'push'],
  ['Mailgun', 'mailgun', 'email'],
  ['Sendgrid', 'sendgrid', 'email'],
  ['Smtp', 'smtp', 'email'],
  ['Msg91', 'msg91', 'sms'],
  ['Telesign', 'telesign', 'sms'],
  ['Textmagic', 'textmagic', 'sms'],
  ['Twilio', 'twilio', 'sms'],
  ['Vonage', 'vonage', 'sms'],
];
const providerRef = (providerId: string) => ({ resource: 'provider', ids: { providerId } }) as const;
const topicRef = (topicId: string) => ({ resource: 'topic', ids: { topicId } }) as const;
const subscriberRef = (topicId: string, subscriberId: string) => ({ resource: 'subscriber', ids: { topicId, subscriberId } }) as const;
const messageRef = (messageId: string) => ({ resource: 'message', ids: { messageId } }) as const;

function topic(data: StateView, id: unknown): ReadonlyDeep<TopicEntry> {
  return need(data.topics, id, 'topic_not_found');
}

function createProvider(provider: string, type: string): StateHandler {
  return ({ params, data, tx }) => {
    const id = resolveId(params.providerId);
    if (data.providers.has(id)) fail('provider_already_exists');
    const { credentials, options, enabled } = newProviderSettings(provider, params);
    const model: Model = Object.assign(created(id), { name: params.name, provider, enabled, type, credentials, options });
    return json(201, tx.create(data.providers, id, model, providerRef(id), model));
  };
}

function updateProvider(provider: string): StateHandler {
  return ({ params, data, tx }) => {
    const model = need(data.providers, params.providerId, 'provider_not_found');
    const settings = updatedProviderSettings(provider, model, params);
    const name = typeof params.name === 'string' && params.name !== '' ? params.name : model.name;
    tx.assign(model, { credentials: settings.credentials, options: settings.options, enabled: settings.enabled, name });
    return json(200, tx.record('update', providerRef(String(model.$id)), model));
  };
}

/** A new message as Appwrite stores it: checked first (message-recipients.ts), then `draft`, `processing` or `scheduled`. */
function createMessage(channel: 'email' | 'sms' | 'push', content: (ctx: StateContext) => Model): StateHandler {
  return (ctx) => {
    const { params, data, tx } = ctx;
    const id = resolveId(params.messageId);
    const status = messageStatus(params);
    checkRecipients(data, channel, params, status);
    const body = content(ctx);
    if (data.messages.has(id)) fail('document_already_exists');
    // @note Nothing is sent: a message the queue would take stays `processing`, as a real Appwrite answers it.
    const model: Model = Object.assign(created(id), {
      providerType: channel,
      topics: params.topics ?? [],
      users: params.users ?? [],
      targets: params.targets ?? [],
      scheduledAt: typeof params.scheduledAt === 'string' ? params.scheduledAt : null,
      deliveredAt: null,
      deliveryErrors: [],
      deliveredTotal: 0,
      data: body,
      status,
    });
    return json(201, tx.create(data.messages, id, model, messageRef(id), model));
  };
}

function updateMessage(content: (ctx: StateContext) => Model): StateHandler {
  return (ctx) => {
    const { params, data, tx } = ctx;
    const model = need(data.messages, params.messageId, 'message_not_found');
    const changes = Object.fromEntries(Object.entries(content(ctx)).filter(([, value]) => value !== undefined && value !== null));
    tx.assign(model, {
      data: Object.assign(extendableCopy(model.data as Model), changes),
      topics: params.topics ?? undefined,
      users: params.users ?? undefined,
      targets: params.targets ?? undefined,
    });
    return json(200, tx.record('update', messageRef(String(model.$id)), model));
  };
}

const email = ({ params: p, data }: StateContext): Model => ({
  subject: p.subject,
  content: p.content,
  html: p.html,
  cc: p.cc,
  bcc: p.bcc,
  attachments: p.attachments === undefined || p.attachments === null ? p.attachments : attachments(data, p.attachments),
});
const sms = ({ params: p }: StateContext): Model => ({ content: p.content });
/** messaging.php:2962-2968 at 1.5.0: only the fields given, not empty. */
function push({ params: p, data, headers }: StateContext): Model {
  const fields: Model = {
    title: p.title,
    body: p.body,
    data: p.data,
    action: p.action,
    image: pushImage(data, p.image, headerText(headers, 'x-appwrite-project')),
    icon: p.icon,
    sound: p.sound,
    color: p.color,
    tag: p.tag,
    badge: p.badge,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => !isEmpty(value)));
}

/** PHP's empty(): absent, null, '', '0', 0, false, an empty list or object. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === '0' || value === 0 || value === false) return true;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

export const messagingRoutes: StateRoutes = {
  messagingListProviders: ({ params, data }) =>
    listReply('providers', data.providers.values(), params, { noun: 'Provider', route: 'providers', searchIn: (m) => [String(m.$id), String(m.name)] }),
  messagingGetProvider: ({ params, data }) => json(200, extendableCopy(need(data.providers, params.providerId, 'provider_not_found') as Model)),
  messagingDeleteProvider: ({ params, data, tx }) => {
    const model = need(data.providers, params.providerId, 'provider_not_found');
    tx.delete(data.providers, String(model.$id), providerRef(String(model.$id)), model);
    return noContent();
  },
  messagingListTopics: ({ params, data }) =>
    listReply(
      'topics',
      [...data.topics.values()].map((t) => t.model),
      params,
      { noun: 'Topic', route: 'topics', searchIn: (m) => [String(m.$id), String(m.name)] },
    ),
  messagingCreateTopic: ({ params, data, tx }) => {
    const id = resolveId(params.topicId);
    if (data.topics.has(id)) fail('topic_already_exists');
    const model: Model = Object.assign(created(id), { name: params.name, emailTotal: 0, smsTotal: 0, pushTotal: 0, subscribe: params.subscribe ?? [] });
    return json(201, tx.create(data.topics, id, { model, subscribers: new Map() }, topicRef(id), model));
  },
  messagingGetTopic: ({ params, data }) => json(200, extendableCopy(topic(data, params.topicId).model as Model)),
  messagingUpdateTopic: ({ params, data, tx }) => {
    const model = topic(data, params.topicId).model;
    tx.assign(model, { name: params.name ?? undefined, subscribe: params.subscribe ?? undefined });
    return json(200, tx.record('update', topicRef(String(model.$id)), model));
  },
  messagingDeleteTopic: ({ params, data, tx }) => {
    const entry = topic(data, params.topicId);
    const topicId = String(entry.model.$id);
    tx.delete(data.topics, topicId, topicRef(topicId), entry.model);
    tx.cascade(() => {
      for (const m of entry.subscribers.values()) tx.record('delete', subscriberRef(topicId, String(m.$id)), m);
    });
    return noContent();
  },
  messagingListSubscribers: ({ params, data }) =>
    listReply('subscribers', topic(data, params.topicId).subscribers.values(), params, { noun: 'Subscriber', route: 'subscribers' }),
  messagingCreateSubscriber: ({ params, data, tx }) => {
    const entry = topic(data, params.topicId);
    const id = resolveId(params.subscriberId);
    if (entry.subscribers.has(id)) fail('subscriber_already_exists');
    let target: Readonly<Model> | undefined;
    let owner: Readonly<Model> | undefined;
    for (const u of data.users.values()) {
      target = u.targets.get(params.targetId as string);
      if (target) {
        owner = u.model;
        break;
      }
    }
    if (!target || !owner) fail('user_target_not_found');
    const topicId = String(entry.model.$id);
    const model: Model = Object.assign(created(id), {
      targetId: target.$id,
      target: extendableCopy(target as Model),
      userId: owner.$id,
      userName: owner.name,
      topicId,
      providerType: target.providerType,
    });
    const total = `${String(target.providerType)}Total`;
    if (typeof entry.model[total] === 'number') tx.assign(entry.model, { [total]: (entry.model[total] as number) + 1 }, false);
    return json(201, tx.create(entry.subscribers, id, model, subscriberRef(topicId, id), model));
  },
  messagingGetSubscriber: ({ params, data }) =>
    json(200, extendableCopy(need(topic(data, params.topicId).subscribers, params.subscriberId, 'subscriber_not_found') as Model)),
  messagingDeleteSubscriber: ({ params, data, tx }) => {
    const entry = topic(data, params.topicId);
    const model = need(entry.subscribers, params.subscriberId, 'subscriber_not_found');
    const topicId = String(entry.model.$id);
    tx.delete(entry.subscribers, String(model.$id), subscriberRef(topicId, String(model.$id)), model);
    const total = `${String(model.providerType)}Total`;
    if (typeof entry.model[total] === 'number') tx.assign(entry.model, { [total]: Math.max(0, (entry.model[total] as number) - 1) }, false);
    return noContent();
  },
  messagingListMessages: ({ params, data }) => listReply('messages', data.messages.values(), params, { noun: 'Message', route: 'messages' }),
  messagingCreateEmail: createMessage('email', email),
  messagingCreateSms: createMessage('sms', sms),
  messagingCreatePush: createMessage('push', push),
  messagingUpdateEmail: updateMessage(email),
  messagingUpdateSms: updateMessage(sms),
  messagingUpdatePush: updateMessage(push),
  // messaging.php:3177-3225 at 1.5.0: the targets the message names by ID (not those of its users or topics).
  messagingListTargets: ({ params, data }) => {
    const message = need(data.messages, params.messageId, 'message_not_found');
    const named = new Set(Array.isArray(message.targets) ? message.targets.map(String) : []);
    const targets = [...data.users.values()].flatMap((user) => [...user.targets.values()]).filter((target) => named.has(String(target.$id)));
    return listReply('targets', targets, params, { noun: 'Target', route: 'targets' });
  },
  messagingGetMessage: ({ params, data }) => json(200, extendableCopy(need(data.messages, params.messageId, 'message_not_found') as Model)),
  messagingDelete: ({ params, data, tx }) => {
    const model = need(data.messages, params.messageId, 'message_not_found');
    tx.delete(data.messages, String(model.$id), messageRef(String(model.$id)), model);
    return noContent();
  },
};

for (const [route, provider, type] of PROVIDERS) {
  messagingRoutes[`messagingCreate${route}Provider`] = createProvider(provider, type);
  messagingRoutes[`messagingUpdate${route}Provider`] = updateProvider(provider);
}
