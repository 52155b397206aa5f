import { BodyParseError, decodeBody, isJsonMediaType, mediaTypeOf } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Body, VcrRequest, VcrResponse } from '../model/exchange.js';
import { parseMultipart, MultipartError } from '../match/parse-multipart.js';
import { parseQuery } from '../match/parse-query.js';
import { requestKey } from '../match/request-key.js';
import type { Redactor } from '../cassette/redact.js';
import type { Spec } from '../spec/load-spec.js';
import type { RouteMatch } from '../spec/router.js';
import type { RawRequest, RoutedRequest } from './pipeline.js';

interface Route {
  match: RouteMatch;
  method: string;
  path: string;
  search: string;
}

/** The pipeline's first step: a raw request split, routed to its operation, its body read. */
export class RequestRouter {
  readonly #spec: Spec;
  readonly #redactor: Redactor;
  readonly #storeFileLimit: number;

  constructor(spec: Spec, redactor: Redactor, storeFileLimit: number) {
    this.#spec = spec;
    this.#redactor = redactor;
    this.#storeFileLimit = storeFileLimit;
  }

  /** Splits and routes a raw request; an unknown route or a broken multipart body is an Appwrite error. */
  async route(raw: RawRequest): Promise<RoutedRequest | { error: VcrResponse }> {
    const routed = this.routeSync(raw);
    if (routed !== null) return routed;
    const route = this.#route(raw);
    if ('error' in route) return route;
    try {
      const form = await parseMultipart(raw.body, raw.headers as Record<string, string>, this.#storeFileLimit);
      return this.#routed(route, raw, { kind: 'multipart', fields: form.fields, files: form.files }, undefined, form.bytes);
    } catch (err) {
      if (!(err instanceof MultipartError)) throw err;
      return { error: errorResponse('general_argument_invalid', this.#spec.version, `Invalid multipart body: ${err.message}`) };
    }
  }

  /** `route` without waiting; null for a multipart body, which only `route` reads. */
  routeSync(raw: RawRequest): RoutedRequest | { error: VcrResponse } | null {
    const route = this.#route(raw);
    if ('error' in route) return route;
    if (raw.body.length === 0) return this.#routed(route, raw, null);
    const mediaType = mediaTypeOf(raw.headers['content-type']);
    if (mediaType === 'multipart/form-data') return null;
    try {
      return this.#routed(route, raw, decodeBody(raw.body, isJsonMediaType(mediaType) || mediaType === '' ? 'application/json' : mediaType));
    } catch (err) {
      if (!(err instanceof BodyParseError)) throw err;
      return this.#routed(route, raw, null, err.message);
    }
  }

  #route(raw: RawRequest): Route | { error: VcrResponse } {
    const spec = this.#spec;
    // @note utopia answers HEAD as the GET of the same route (Node leaves the body out): its identity is the GET's.
    const upper = raw.method.toUpperCase();
    const method = upper === 'HEAD' ? 'GET' : upper;
    const q = raw.url.indexOf('?');
    const path = q === -1 ? raw.url : raw.url.slice(0, q);
    const search = q === -1 ? '' : raw.url.slice(q + 1);
    const base = spec.basePath;
    const inBase = base === '' || path === base || path.startsWith(`${base}/`);
    const match = inBase ? spec.router.match(method, path, base.length) : null;
    if (!match) return { error: errorResponse('general_route_not_found', spec.version) };
    return { match, method, path, search };
  }

  #routed(route: Route, raw: RawRequest, body: Body | null, bodyError?: string, files?: Map<string, Buffer>): RoutedRequest {
    const request: VcrRequest = { method: route.method, path: route.path, query: parseQuery(route.search), headers: raw.headers, body };
    const { operation } = route.match;
    const routed: RoutedRequest = {
      request,
      operation,
      pathParams: route.match.params,
      key: requestKey(this.#redactor.matchable(request, operation.operationId)),
    };
    if (bodyError !== undefined) routed.bodyError = bodyError;
    if (files) routed.files = files;
    return routed;
  }
}
