/** Helpers shared by the REST routes: error mapping, response shaping, list paging. */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Static } from "@sinclair/typebox";
import type { ResourceType } from "../../kube/kube-api.ts";
import type { Queryable } from "../../store/index.ts";
import type { Authorizer } from "../auth/kube-auth.ts";
import { ErrorBody, HttpError, fromKubeError } from "../errors.ts";
import { GatewayError } from "../gateway.ts";
import type { SreGateway } from "../gateway.ts";
import type { SidecarKube } from "../kube.ts";
import { listPathOf } from "../kube.ts";
import type { ObjectMeta } from "./schemas.ts";

/** What the REST routes need. */
export interface RestDeps {
  kube: SidecarKube;
  gateway: SreGateway;
  authorizer: Authorizer;
  /** The incident store; /incidents answers 503 without it. */
  store?: Queryable;
  /** Namespace of new tasks that name none. */
  defaultNamespace: string;
}

/** Error responses every REST route declares. */
export const ERRORS = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
/** The OpenAPI security requirement of every REST route. */
export const BEARER = [{ bearer: [] }];

const GATEWAY_STATUS: Record<GatewayError["code"], number> = {
  NotFound: 404,
  Conflict: 409,
  Invalid: 400,
  Unavailable: 503,
  Forbidden: 403,
};

/** Maps a gateway or Kubernetes failure to an HttpError. */
export function restError(err: unknown, what: string): HttpError {
  if (err instanceof GatewayError) return new HttpError(GATEWAY_STATUS[err.code], err.message, err.field);
  return fromKubeError(err, what);
}

/** A resource as the API server sends it (raw JSON: timestamps are strings). */
export interface WireObject {
  apiVersion: string;
  kind: string;
  metadata: Static<typeof ObjectMeta>;
  spec: unknown;
  status?: unknown;
}

/** The object without metadata.managedFields (noise for REST clients), typed as the wire JSON it is. */
export function clean(obj: KubernetesObject): WireObject {
  const { managedFields: _drop, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata } as unknown as WireObject;
}

/** A JSON-ready copy (Dates become RFC 3339 strings), so responses validate as they will be sent. */
export const toJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

/** One page of a kind from the API server, in its own order, with its continue token. */
export async function listPage<T extends KubernetesObject>(
  kube: SidecarKube,
  rt: ResourceType,
  query: { namespace?: string; limit: number; continue?: string; labelSelector?: string },
): Promise<{ items: WireObject[]; continue?: string }> {
  try {
    const page = await kube.client.request<{ items: T[]; metadata?: { continue?: string } }>(
      "GET",
      listPathOf(rt, query.namespace),
      { query: { limit: query.limit, continue: query.continue, labelSelector: query.labelSelector } },
    );
    const out: { items: WireObject[]; continue?: string } = { items: page.items.map(clean) };
    if (page.metadata?.continue) out.continue = page.metadata.continue;
    return out;
  } catch (err) {
    // An expired continue token is the caller's to fix: start the listing again.
    if ((err as { code?: number }).code === 410)
      throw new HttpError(400, "the continue token expired; list again", "continue");
    throw restError(err, `listing ${rt.plural}`);
  }
}
