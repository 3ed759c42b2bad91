import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { FIELD_MANAGER, type KubeClient } from "../kube/kube-api.ts";

/** The KubeClient calls apply needs; a narrow type so tests can fake it. */
export type ApplyClient = Pick<KubeClient, "request" | "pathOf">;

/** Options of a server-side apply. */
export interface ApplyOptions {
  /** Default "aisre-operator": one manager owns every field this operator sets. */
  fieldManager?: string;
  /** Take over fields another manager owns. Default true: the operator is the source of truth for its children. */
  force?: boolean;
  /** Validate and admit, but persist nothing (dryRun=All). */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/**
 * Server-side applies a complete desired object (apiVersion, kind, metadata.name and
 * namespace required): creates it if missing, otherwise sets exactly the fields given
 * and removes fields this manager set before but no longer sends.
 */
export async function serverSideApply<T extends KubernetesObject>(
  client: ApplyClient,
  obj: T,
  opts: ApplyOptions = {},
): Promise<T> {
  if (!obj.apiVersion || !obj.kind || !obj.metadata?.name)
    throw new Error("apply needs apiVersion, kind and name");
  // The API server rejects an apply body that carries managedFields.
  const { managedFields: _managed, ...metadata } = obj.metadata;
  const body = { ...obj, metadata };
  return client.request<T>("PATCH", await client.pathOf(obj), {
    body,
    contentType: PatchStrategy.ServerSideApply,
    query: {
      fieldManager: opts.fieldManager ?? FIELD_MANAGER,
      force: opts.force ?? true,
      dryRun: opts.dryRun ? "All" : undefined,
    },
    signal: opts.signal,
  });
}
