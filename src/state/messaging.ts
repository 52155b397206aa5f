import { resolveId } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, StateData, TopicEntry } from './state-data.js';
import type { StateHandler, StateRoutes } from './state-request.js';
import { created, listReply, need, update } from './table.js';

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
/** Body parameters that describe the provider itself; the rest are its credentials and options. */
const PROVIDER_FIELDS = new Set(['providerId', 'name', 'enabled']);
const OPTION_FIELDS = new Set(['fromName', 'fromEmail', 'replyToName', 'replyToEmail', 'from', 'senderId', 'isEuRegion', 'sandbox', 'encryption', 'autoTLS', 'mailer', 'host', 'port']);

function topic(data: StateData, id: unknown): TopicEntry {
  return need(data.topics, id, 'topic_not_found');
}

function splitSettings(params: Record<string, unknown>, into: { credentials: Model; options: Model }): void {
  for (const [key, value] of Object.entries(params)) {
    if (PROVIDER_FIELDS.has(key) || value === undefined || value === null) continue;
    if (OPTION_FIELDS.has(key)) into.options[key] = value;
    else into.credentials[key] = value;
  }
}

function createProvider(provider: string, type: string): StateHandler {
  return ({ params }, data) => {
    const id = resolveId(params.providerId);
    if (data.providers.has(id)) fail('provider_already_exists');
    const model: Model = Object.assign(created(id), { name: params.name, provider, enabled: params.enabled ?? true, type, credentials: {}, options: {} });
    splitSettings(params, model as { credentials: Model; options: Model });
    data.providers.set(id, model);
    return json(201, model);
  };
}

function updateProvider(): StateHandler {
  return ({ params }, data) => {
    const model = need(data.providers, params.providerId, 'provider_not_found');
    splitSettings(params, model as { credentials: Model; options: Model });
    return json(200, update(model, { name: params.name ?? undefined, enabled: params.enabled ?? undefined }));
  };
}

function createMessage(providerType: string, content: (params: Record<string, unknown>) => Model): StateHandler {
  return ({ params }, data) => {
    const id = resolveId(params.messageId);
    if (data.messages.has(id)) fail('document_already_exists');
    // @note Nothing is sent: a message not saved as a draft is `sent` at once, to no one.
    const draft = params.draft === true;
    const model: Model = Object.assign(created(id), {
      providerType,
      topics: params.topics ?? [],
      users: params.users ?? [],
      targets: params.targets ?? [],
      deliveredTotal: 0,
      data: content(params),
      status: draft ? 'draft' : params.scheduledAt ? 'scheduled' : 'sent',
    });
    if (typeof params.scheduledAt === 'string') model.scheduledAt = params.scheduledAt;
    data.messages.set(id, model);
    return json(201, model);
  };
}

function updateMessage(content: (params: Record<string, unknown>) => Model): StateHandler {
  return ({ params }, data) => {
    const model = need(data.messages, params.messageId, 'message_not_found');
    const changes = Object.fromEntries(Object.entries(content(params)).filter(([, value]) => value !== undefined && value !== null));
    model.data = { ...(model.data as Model), ...changes };
    return json(200, update(model, { topics: params.topics ?? undefined, users: params.users ?? undefined, targets: params.targets ?? undefined }));
  };
}

const email = (p: Record<string, unknown>): Model => ({ subject: p.subject, content: p.content, cc: p.cc, bcc: p.bcc, attachments: p.attachments, html: p.html });
const sms = (p: Record<string, unknown>): Model => ({ content: p.content });
const push = (p: Record<string, unknown>): Model => ({ title: p.title, body: p.body, data: p.data, action: p.action, image: p.image, icon: p.icon, sound: p.sound, color: p.color, tag: p.tag, badge: p.badge });

export const messagingRoutes: StateRoutes = {
  messagingListProviders: ({ params }, data) => listReply('providers', data.providers.values(), params, { noun: 'Provider', searchIn: (m) => [String(m.$id), String(m.name)] }),
  messagingGetProvider: ({ params }, data) => json(200, need(data.providers, params.providerId, 'provider_not_found')),
  messagingDeleteProvider: ({ params }, data) => {
    need(data.providers, params.providerId, 'provider_not_found');
    data.providers.delete(params.providerId as string);
    return noContent();
  },
  messagingListTopics: ({ params }, data) => listReply('topics', [...data.topics.values()].map((t) => t.model), params, { noun: 'Topic', searchIn: (m) => [String(m.$id), String(m.name)] }),
  messagingCreateTopic: ({ params }, data) => {
    const id = resolveId(params.topicId);
    if (data.topics.has(id)) fail('topic_already_exists');
    const model: Model = Object.assign(created(id), { name: params.name, emailTotal: 0, smsTotal: 0, pushTotal: 0, subscribe: params.subscribe ?? [] });
    data.topics.set(id, { model, subscribers: new Map() });
    return json(201, model);
  },
  messagingGetTopic: ({ params }, data) => json(200, topic(data, params.topicId).model),
  messagingUpdateTopic: ({ params }, data) => json(200, update(topic(data, params.topicId).model, { name: params.name ?? undefined, subscribe: params.subscribe ?? undefined })),
  messagingDeleteTopic: ({ params }, data) => {
    topic(data, params.topicId);
    data.topics.delete(params.topicId as string);
    return noContent();
  },
  messagingListSubscribers: ({ params }, data) => listReply('subscribers', topic(data, params.topicId).subscribers.values(), params, { noun: 'Subscriber' }),
  messagingCreateSubscriber: ({ params }, data) => {
    const entry = topic(data, params.topicId);
    const id = resolveId(params.subscriberId);
    if (entry.subscribers.has(id)) fail('subscriber_already_exists');
    let target: Model | undefined;
    let owner: Model | undefined;
    for (const u of data.users.values()) {
      target = u.targets.get(params.targetId as string);
      if (target) {
        owner = u.model;
        break;
      }
    }
    if (!target || !owner) fail('user_target_not_found');
    const model: Model = Object.assign(created(id), { targetId: target.$id, target, userId: owner.$id, userName: owner.name, topicId: entry.model.$id, providerType: target.providerType });
    entry.subscribers.set(id, model);
    const total = `${String(target.providerType)}Total`;
    if (typeof entry.model[total] === 'number') entry.model[total] = (entry.model[total] as number) + 1;
    return json(201, model);
  },
  messagingGetSubscriber: ({ params }, data) => json(200, need(topic(data, params.topicId).subscribers, params.subscriberId, 'subscriber_not_found')),
  messagingDeleteSubscriber: ({ params }, data) => {
    const entry = topic(data, params.topicId);
    const model = need(entry.subscribers, params.subscriberId, 'subscriber_not_found');
    entry.subscribers.delete(params.subscriberId as string);
    const total = `${String(model.providerType)}Total`;
    if (typeof entry.model[total] === 'number') entry.model[total] = Math.max(0, (entry.model[total] as number) - 1);
    return noContent();
  },
  messagingListMessages: ({ params }, data) => listReply('messages', data.messages.values(), params, { noun: 'Message' }),
  messagingCreateEmail: createMessage('email', email),
  messagingCreateSms: createMessage('sms', sms),
  messagingCreatePush: createMessage('push', push),
  messagingUpdateEmail: updateMessage(email),
  messagingUpdateSms: updateMessage(sms),
  messagingUpdatePush: updateMessage(push),
  messagingGetMessage: ({ params }, data) => json(200, need(data.messages, params.messageId, 'message_not_found')),
  messagingDelete: ({ params }, data) => {
    need(data.messages, params.messageId, 'message_not_found');
    data.messages.delete(params.messageId as string);
    return noContent();
  },
};

for (const [route, provider, type] of PROVIDERS) {
  messagingRoutes[`messagingCreate${route}Provider`] = createProvider(provider, type);
  messagingRoutes[`messagingUpdate${route}Provider`] = updateProvider();
}
