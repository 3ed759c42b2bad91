import {
  ApiException,
  KubernetesObjectApi,
  type HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  type ResponseContext,
} from "@kubernetes/client-node";

/** The REST coordinates of a kind; known up front so no discovery round trip is needed. */
export interface ResourceType {
  /** API group; "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural resource name, e.g. "sretasks". */
  plural: string;
  namespaced: boolean;
}

/** Returns "group/version", or just "version" for the core group. */
export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** Returns the collection path of a kind, in one namespace or across all of them. */
export function collectionPath(rt: ResourceType, namespace?: string): string {
  const root = rt.group ? `/apis/${rt.group}/${rt.version}` : `/api/${rt.version}`;
  const ns = rt.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${root}${ns}/${rt.plural}`;
}

/** Returns the path of one object, optionally of its subresource (e.g. "status"). */
export function objectPath(rt: ResourceType, namespace: string, name: string, subresource?: string): string {
  const base = `${collectionPath(rt, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** The field manager of every write this operator makes (server-side apply, status, finalizers). */
export const FIELD_MANAGER = "aisre-operator";

/** Returns the HTTP status of an API error from any client-node path (ApiException, Watch, Status body). */
export function statusCode(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown; body?: { code?: unknown } };
  for (const c of [e.code, e.statusCode, e.body?.code]) if (typeof c === "number") return c;
  return undefined;
}

/** True for 404 Not Found. */
export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;
/** True for 409 Conflict (stale resourceVersion, or AlreadyExists on create). */
export const isConflict = (err: unknown): boolean => statusCode(err) === 409;
/** True for 410 Gone (resourceVersion too old: relist). */
export const isGone = (err: unknown): boolean => statusCode(err) === 410;

/** Query, body and headers of one raw request. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/** A reference to any object by apiVersion/kind, resolved to a path through discovery. */
export interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

/**
 * A dynamic client: raw JSON in and out for any kind. It reuses client-node's
 * configuration (auth, TLS, user agent, middleware) but skips the typed model
 * deserialization, so objects read through it look exactly like watch events
 * (timestamps stay strings), which keeps informer caches and deep compares consistent.
 */
export class KubeClient extends KubernetesObjectApi {
  /** Creates a client for the kubeconfig's current context. */
  static fromKubeConfig(kc: KubeConfig): KubeClient {
    const client = kc.makeApiClient(KubeClient);
    client.setDefaultNamespace(kc);
    return client;
  }

  /** Sends one request and returns the parsed JSON body; throws ApiException on a non-2xx status. */
  async request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method);
    ctx.setHeaderParam("Accept", "application/json");
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) ctx.setQueryParam(k, String(v));
    if (opts.body !== undefined) {
      ctx.setHeaderParam("Content-Type", opts.contentType ?? "application/json");
      ctx.setBody(JSON.stringify(opts.body));
    }
    if (opts.signal) ctx.setSignal(opts.signal);
    return this.requestPromise<KubernetesObject>(ctx) as Promise<T>;
  }

  /** Returns the REST path of an object (or of its collection when it has no name) via cached discovery. */
  async pathOf(ref: ObjectRef): Promise<string> {
    const spec: KubernetesObject = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.metadata?.name, namespace: ref.metadata?.namespace },
    };
    return this.specUriPath(spec, ref.metadata?.name ? "read" : "list");
  }

  /** Reads an object; resolves undefined when it does not exist. */
  async getObject<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.request<T>("GET", await this.pathOf(ref));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  protected override async processResponse<T>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    const data = parseJson(text);
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return data as T;
    const reason = (data as { message?: string } | undefined)?.message ?? text;
    throw new ApiException(response.httpStatusCode, reason, data ?? text, response.headers);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
