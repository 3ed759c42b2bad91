/**
 * The sidecar's Kubernetes clients and the REST coordinates of the kinds it touches. One
 * KubeConfig (KUBECONFIG or in-cluster) feeds a raw-JSON client for custom resources, the
 * authentication/authorization APIs for the REST facade, and a Watch for SSE.
 */
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { KubeClient, collectionPath, objectPath } from "../kube/kube-api.ts";
import type { ResourceType } from "../kube/kube-api.ts";

/** The field manager of every write the sidecar makes. */
export const SIDECAR_FIELD_MANAGER = "aisre-sidecar";

/** The clients the sidecar needs, injected into buildSidecar so tests can point them anywhere. */
export interface SidecarKube {
  kc: KubeConfig;
  client: KubeClient;
  authn: AuthenticationV1Api;
  authz: AuthorizationV1Api;
  watch: Watch;
}

/** Creates every client from one KubeConfig. */
export function sidecarKube(kc: KubeConfig): SidecarKube {
  return {
    kc,
    client: KubeClient.fromKubeConfig(kc),
    authn: kc.makeApiClient(AuthenticationV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    watch: new Watch(kc),
  };
}

/** Loads KUBECONFIG (or the given file) when set, else the in-cluster service account. */
export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

/** Path of an object of one of the kinds above (or its status subresource). */
export const pathOf = (rt: ResourceType, namespace: string, name: string, sub?: string): string =>
  objectPath(rt, namespace, name, sub);

/** Path of a collection, in one namespace or across all. */
export const listPathOf = (rt: ResourceType, namespace?: string): string => collectionPath(rt, namespace);
