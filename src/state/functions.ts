import { resolveId } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { FunctionEntry, Model, StateData } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { created, listReply, need, update } from './table.js';

function fn(data: StateData, id: unknown): FunctionEntry {
  return need(data.functions, id, 'function_not_found');
}

/** The function model with `vars`, as Appwrite answers it. */
function functionView(entry: FunctionEntry): Model {
  return { ...entry.model, vars: [...entry.variables.values()] };
}

function functionFields(params: Record<string, unknown>): Record<string, unknown> {
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
  functionsList: ({ params }, data) => listReply('functions', data.functions.values(), params, { noun: 'Function', searchIn: (m) => [String(m.$id), String(m.name)], view: functionView }),
  functionsCreate: ({ params }, data) => {
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
      version: 'v4',
      installationId: '',
      providerRepositoryId: '',
      providerBranch: '',
      providerRootDirectory: '',
      providerSilentMode: false,
    });
    for (const [key, value] of Object.entries(functionFields(params))) if (value !== undefined && value !== null) model[key] = value;
    const entry: FunctionEntry = { model, deployments: new Map(), variables: new Map(), executions: new Map() };
    data.functions.set(id, entry);
    return json(201, functionView(entry));
  },
  functionsGet: ({ params }, data) => json(200, functionView(fn(data, params.functionId))),
  functionsUpdate: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    const changes = functionFields(params);
    for (const key of Object.keys(changes)) if (changes[key] === null) changes[key] = undefined;
    update(entry.model, changes);
    return json(200, functionView(entry));
  },
  functionsDelete: ({ params }, data) => {
    fn(data, params.functionId);
    data.functions.delete(params.functionId as string);
    return noContent();
  },

  functionsListDeployments: ({ params }, data) => listReply('deployments', fn(data, params.functionId).deployments.values(), params, { noun: 'Deployment' }),
  functionsCreateDeployment: (request, data) => {
    const { params } = request;
    const entry = fn(data, params.functionId);
    const base = created(resolveId('unique()'));
    const size = request.files.get('code')?.length ?? 0;
    // @note Builds finish at once: the deployment is `ready`, and active when `activate` was asked for.
    const deployment: Model = {
      ...base,
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
    };
    entry.deployments.set(base.$id, deployment);
    if (params.activate === true) update(entry.model, { deployment: base.$id });
    return json(202, deployment);
  },
  functionsGetDeployment: ({ params }, data) => json(200, need(fn(data, params.functionId).deployments, params.deploymentId, 'deployment_not_found')),
  functionsUpdateDeployment: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    need(entry.deployments, params.deploymentId, 'deployment_not_found');
    update(entry.model, { deployment: params.deploymentId });
    return json(200, functionView(entry));
  },
  functionsDeleteDeployment: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    need(entry.deployments, params.deploymentId, 'deployment_not_found');
    entry.deployments.delete(params.deploymentId as string);
    if (entry.model.deployment === params.deploymentId) update(entry.model, { deployment: '' });
    return noContent();
  },

  functionsListExecutions: ({ params }, data) => listReply('executions', fn(data, params.functionId).executions.values(), params, { noun: 'Execution' }),
  functionsCreateExecution: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    const base = created(resolveId('unique()'));
    const headers = params.headers && typeof params.headers === 'object' ? Object.entries(params.headers as Model).map(([name, value]) => ({ name, value: String(value) })) : [];
    // @note Nothing runs: an execution completes at once with status 200 and an empty response.
    const execution: Model = {
      ...base,
      $permissions: [],
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
    };
    entry.executions.set(base.$id, execution);
    return json(201, execution);
  },
  functionsGetExecution: ({ params }, data) => json(200, need(fn(data, params.functionId).executions, params.executionId, 'execution_not_found')),

  functionsListVariables: ({ params }, data) => {
    const variables = [...fn(data, params.functionId).variables.values()];
    return json(200, { total: variables.length, variables });
  },
  functionsCreateVariable: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    for (const v of entry.variables.values()) if (v.key === params.key) fail('variable_already_exists');
    const variable: Model = Object.assign(created(resolveId('unique()')), { key: params.key, value: params.value, resourceType: 'function', resourceId: entry.model.$id });
    entry.variables.set(variable.$id as string, variable);
    return json(201, variable);
  },
  functionsGetVariable: ({ params }, data) => json(200, need(fn(data, params.functionId).variables, params.variableId, 'variable_not_found')),
  functionsUpdateVariable: ({ params }, data) => json(200, update(need(fn(data, params.functionId).variables, params.variableId, 'variable_not_found'), { key: params.key, value: params.value ?? undefined })),
  functionsDeleteVariable: ({ params }, data) => {
    const entry = fn(data, params.functionId);
    need(entry.variables, params.variableId, 'variable_not_found');
    entry.variables.delete(params.variableId as string);
    return noContent();
  },
};
