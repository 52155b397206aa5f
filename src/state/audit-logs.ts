import { json } from './reply.js';
import type { StateView } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { fail } from './state-failure.js';
import { need } from './table.js';
import { user } from './users.js';

/**
 * The logs lists of the resources a key manages. @note The model keeps no audit log: each list answers
 * empty once its resource is found (404 with the resource's own error otherwise), which is what Appwrite
 * 1.5.0 answers for resources only a key touched (../shared/appwrite/recordings: users, providers, topics,
 * subscribers, messages). The account's own log (`GET /account/logs`) is empty too, where Appwrite lists
 * the signed-in user's audited actions: named in the README.
 */
function logsOf(find: (data: StateView, params: Record<string, unknown>) => unknown): StateRoutes[string] {
  return ({ data, params }) => {
    find(data, params);
    return json(200, { total: 0, logs: [] });
  };
}

export const auditLogRoutes: StateRoutes = {
  usersListLogs: logsOf((data, params) => user(data, params.userId)),
  messagingListProviderLogs: logsOf((data, params) => need(data.providers, params.providerId, 'provider_not_found')),
  messagingListTopicLogs: logsOf((data, params) => need(data.topics, params.topicId, 'topic_not_found')),
  // The path names the subscriber alone (`/messaging/subscribers/{subscriberId}/logs`): it is looked for in every topic.
  messagingListSubscriberLogs: logsOf((data, params) => {
    for (const topic of data.topics.values()) if (topic.subscribers.has(String(params.subscriberId))) return;
    fail('subscriber_not_found');
  }),
  messagingListMessageLogs: logsOf((data, params) => need(data.messages, params.messageId, 'message_not_found')),
};
