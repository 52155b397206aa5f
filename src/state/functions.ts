import { resolveId } from './ids.js';
import { fileBytes, json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import { extendableCopy } from '../model/extendable-copy.js';
import type { FunctionEntry, Model, ReadonlyDeep, StateView } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { created, listReply, need } from './table.js';
import type { Tx } from './tx.js';
import { accessOf, grants } from './access.js';
import { holdsAny, permissionString, refusalMessage, rolesProblem } from '../permissions/index.js';

const functionRef = (functionId: string) => ({ resource: 'function', ids: { functionId } }) as const;
const deploymentRef = (functionId: string, deploymentId: string) => ({ resource: 'deployment', ids: { functionId, deploymentId } }) as const;
const executionRef = (functionId: string, executionId: string) => ({ resource: 'execution', ids: { functionId, executionId } }) as const;
const variableRef = (functionId: string, variableId: string) => ({ resource: 'variable', ids: { functionId, variableId } }) as const;

function fn(data: StateView, id: unknown): ReadonlyDeep<FunctionEntry> {
  return need(data.functions, id, 'function_not_found');
}

/** The function model with `vars`, as Appwrite answers it. */
function functionView(entry: ReadonlyDeep<FunctionEntry>): Model {
  return Object.assign(extendableCopy(entry.model as Model), { vars: [...entry.variables.values()] });
}

function updatedFunction(tx: Tx, entry: ReadonlyDeep<FunctionEntry>): Model {
  return tx.record('update', functionRef(String(entry.model.$id)), functionView(entry));
}

const copy = (model: Readonly<Model>): Model => extendableCopy(model as Model);

/** What a function's build depends on (functions.php:786-792 at 1.5.0). */
const LIVE_FIELDS = ['name', 'entrypoint', 'commands', 'providerRootDirectory', 'runtime'];

/** functions.php:1967, 2096, 2144 at 1.5.0: a variable created, changed or removed leaves the function not live. */
function notLive(tx: Tx, entry: ReadonlyDeep<FunctionEntry>): void {
  tx.assign(entry.model, { live: false });
}

/** An execution as its caller sees it: logs and errors are for keys only (functions.php at 1.5.0). */
function executionView(key: boolean, execution: Readonly<Model>): Model {
  const out = copy(execution);
  if (!key) Object.assign(out, { logs: '', errors: '' });
  return out;
}

function functionFields(params: Record<string, unknown>): Record<string, unknown> {
  const problem = Array.isArray(params.execute) ? rolesProblem(params.execute) : null;
  if (problem) fail('general_argument_invalid', `Invalid \`execute\` param: ${problem}`);
  return {
    execute: params.execute,
    name: params.name,
    enabled: params.enabled,
    logging: params.logging,
    runtime: params.runtime,
    events: params.events,
    schedule: params.schedule,
    timeout: params.timeout,
    entrypoint: params.entrypoint,
    commands: params.commands,
    installationId: params.installationId,
    providerRepositoryId: params.providerRepositoryId,
    providerBranch: params.providerBranch,
    providerRootDirectory: params.providerRootDirectory,
    providerSilentMode: params.providerSilentMode,
  };
}

export const functionRoutes: StateRoutes = {
  functionsList: ({ params, data }) =>
    listReply('functions', data.functions.values(), params, {
      noun: 'Function',
      route: 'functions',
      searchIn: (m) => [String(m.$id), String(m.name)],
      view: functionView,
    }),
  functionsCreate: ({ params, data, tx }) => {
    const id = resolveId(params.functionId);
    if (data.functions.has(id)) fail('document_already_exists');
    const model: Model = Object.assign(created(id), {
      execute: [],
      name: '',
      enabled: true,
      live: true,
      logging: true,
      runtime: '',
      deployment: '',
      events: [],
      schedule: '',
      timeout: 15,
      entrypoint: '',
      commands: '',
      // functions.php:221 at 1.5.0: new functions run on the v3 executor protocol.
      version: 'v3',
      installationId: '',
      providerRepositoryId: '',
      providerBranch: '',
      providerRootDirectory: '',
      providerSilentMode: false,
    });
    for (const [key, value] of Object.entries(functionFields(params))) if (value !== undefined && value !== null) model[key] = value;
    const entry: FunctionEntry = { model, deployments: new Map(), variables: new Map(), executions: new Map() };
    return json(201, tx.create(data.functions, id, entry, functionRef(id), functionView(entry)));
  },
  functionsGet: ({ params, data }) => json(200, functionView(fn(data, params.functionId))),
  functionsUpdate: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    const changes = functionFields(params);
    for (const key of Object.keys(changes)) if (changes[key] === null) changes[key] = undefined;
    // functions.php:784-794 at 1.5.0: a change of what the build depends on leaves the function not live until it is built again.
    const rebuild = LIVE_FIELDS.some((key) => changes[key] !== undefined && changes[key] !== entry.model[key]);
    tx.assign(entry.model, Object.assign(changes, { live: !rebuild }));
    return json(200, updatedFunction(tx, entry));
  },
  functionsDelete: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    const functionId = String(entry.model.$id);
    tx.delete(data.functions, functionId, functionRef(functionId), functionView(entry));
    tx.cascade(() => {
      for (const d of entry.deployments.values()) tx.record('delete', deploymentRef(functionId, String(d.$id)), d);
      for (const e of entry.executions.values()) tx.record('delete', executionRef(functionId, String(e.$id)), e);
      for (const v of entry.variables.values()) tx.record('delete', variableRef(functionId, String(v.$id)), v);
    });
    return noContent();
  },

  functionsListDeployments: ({ params, data }) =>
    listReply('deployments', fn(data, params.functionId).deployments.values(), params, { noun: 'Deployment', route: 'deployments' }),
  functionsCreateDeployment: ({ params, data, tx, files }) => {
    const entry = fn(data, params.functionId);
    const base = created(resolveId('unique()'));
    const size = files.get('code')?.length ?? 0;
    // @note Builds finish at once: the deployment is `ready`, and active when `activate` was asked for.
    const deployment: Model = Object.assign(base, {
      type: 'manual',
      resourceId: entry.model.$id,
      resourceType: 'functions',
      entrypoint: params.entrypoint ?? entry.model.entrypoint,
      size,
      buildId: base.$id,
      activate: params.activate === true,
      status: 'ready',
      buildLogs: '',
      buildTime: 0,
      providerRepositoryName: '',
      providerRepositoryOwner: '',
      providerRepositoryUrl: '',
      providerBranch: '',
      providerCommitHash: '',
      providerCommitAuthorUrl: '',
      providerCommitAuthor: '',
      providerCommitMessage: '',
      providerCommitUrl: '',
      providerBranchUrl: '',
    });
    const functionId = String(entry.model.$id);
    const answer = tx.create(entry.deployments, base.$id, deployment, deploymentRef(functionId, base.$id), deployment);
    const code = files.get('code');
    if (code) {
      if (!entry.code) tx.assign(entry, { code: new Map() }, false);
      tx.link(entry.code!, base.$id, code);
    }
    if (params.activate === true) {
      // Workers/Builds.php:490-495 at 1.5.0: an activated build makes the function live again.
      tx.assign(entry.model, { deployment: base.$id, live: true });
      updatedFunction(tx, entry);
    }
    return json(202, answer);
  },
  // functions.php:840-915 at 1.5.0: the code as uploaded, as a gzip attachment named after the deployment.
  functionsDownloadDeployment: ({ params, data }) => {
    const entry = fn(data, params.functionId);
    const deployment = need(entry.deployments, params.deploymentId, 'deployment_not_found');
    const code = entry.code?.get(String(deployment.$id));
    if (!code) fail('deployment_not_found');
    return fileBytes(code, 'application/gzip', 'attachment', `${String(deployment.$id)}.tar.gz`);
  },
  functionsGetDeployment: ({ params, data }) => json(200, copy(need(fn(data, params.functionId).deployments, params.deploymentId, 'deployment_not_found'))),
  functionsUpdateDeployment: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    need(entry.deployments, params.deploymentId, 'deployment_not_found');
    tx.assign(entry.model, { deployment: params.deploymentId });
    return json(200, updatedFunction(tx, entry));
  },
  functionsDeleteDeployment: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    const deployment = need(entry.deployments, params.deploymentId, 'deployment_not_found');
    const functionId = String(entry.model.$id);
    tx.delete(entry.deployments, String(deployment.$id), deploymentRef(functionId, String(deployment.$id)), deployment);
    if (entry.code) tx.unlink(entry.code, String(deployment.$id));
    if (entry.model.deployment === params.deploymentId) {
      tx.assign(entry.model, { deployment: '' });
      updatedFunction(tx, entry);
    }
    return noContent();
  },

  functionsListExecutions: (ctx) => {
    const access = accessOf(ctx);
    const executions = [...fn(ctx.data, ctx.params.functionId).executions.values()].filter((execution) => grants(access, execution.$permissions, 'read'));
    return listReply('executions', executions, ctx.params, {
      noun: 'Execution',
      route: 'executions',
      view: (execution) => executionView(access.key, execution),
    });
  },
  functionsCreateExecution: (ctx) => {
    const { params, data, tx } = ctx;
    const access = accessOf(ctx);
    const entry = fn(data, params.functionId);
    if (!access.key && entry.model.enabled === false) fail('function_not_found');
    // @note The refusal carries the Authorization validator's description, not the default message (functions.php at 1.5.0).
    const execute = (entry.model.execute as readonly unknown[] | undefined) ?? [];
    if (!access.key && !holdsAny(access.roles, execute)) fail('user_unauthorized', refusalMessage(access.roles, execute, 'execute'));
    const base = created(resolveId('unique()'));
    const headers =
      params.headers && typeof params.headers === 'object'
        ? Object.entries(params.headers as Model).map(([name, value]) => ({ name, value: String(value) }))
        : [];
    // @note Nothing runs: an execution completes at once with status 200 and an empty response.
    const execution: Model = Object.assign(base, {
      // A user's execution is readable by that user; a guest's and a key's by keys alone.
      $permissions: access.userId === null ? [] : [permissionString('read', `user:${access.userId}`)],
      functionId: entry.model.$id,
      trigger: 'http',
      status: 'completed',
      requestMethod: params.method ?? 'POST',
      requestPath: params.path ?? '/',
      requestHeaders: headers,
      responseStatusCode: 200,
      responseBody: '',
      responseHeaders: [],
      logs: '',
      errors: '',
      duration: 0,
    });
    return json(201, executionView(access.key, tx.create(entry.executions, base.$id, execution, executionRef(String(entry.model.$id), base.$id), execution)));
  },
  functionsGetExecution: (ctx) => {
    const access = accessOf(ctx);
    const execution = need(fn(ctx.data, ctx.params.functionId).executions, ctx.params.executionId, 'execution_not_found');
    if (!grants(access, execution.$permissions, 'read')) fail('execution_not_found');
    return json(200, executionView(access.key, execution));
  },

  functionsListVariables: ({ params, data }) => {
    const variables = [...fn(data, params.functionId).variables.values()].map(copy);
    return json(200, { total: variables.length, variables });
  },
  functionsCreateVariable: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    for (const v of entry.variables.values()) if (v.key === params.key) fail('variable_already_exists');
    const variable: Model = Object.assign(created(resolveId('unique()')), {
      key: params.key,
      value: params.value,
      resourceType: 'function',
      resourceId: entry.model.$id,
    });
    const id = String(variable.$id);
    notLive(tx, entry);
    return json(201, tx.create(entry.variables, id, variable, variableRef(String(entry.model.$id), id), variable));
  },
  functionsGetVariable: ({ params, data }) => json(200, copy(need(fn(data, params.functionId).variables, params.variableId, 'variable_not_found'))),
  functionsUpdateVariable: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    const variable = need(entry.variables, params.variableId, 'variable_not_found');
    tx.assign(variable, { key: params.key, value: params.value ?? undefined });
    notLive(tx, entry);
    return json(200, tx.record('update', variableRef(String(params.functionId), String(variable.$id)), variable));
  },
  functionsDeleteVariable: ({ params, data, tx }) => {
    const entry = fn(data, params.functionId);
    const variable = need(entry.variables, params.variableId, 'variable_not_found');
    tx.delete(entry.variables, String(variable.$id), variableRef(String(entry.model.$id), String(variable.$id)), variable);
    notLive(tx, entry);
    return noContent();
  },
};
