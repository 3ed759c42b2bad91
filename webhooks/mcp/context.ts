/**
 * Who an MCP session acts for and what it may reach. Over HTTP the caller is the bearer of a
 * Kubernetes token, authorized by the sidecar's own guard (TokenReview + SubjectAccessReview,
 * webhooks/auth); over stdio it is the kubeconfig's identity, asked with SelfSubjectAccessReview.
 * Either way every tool asks `authorize` before it reads or writes anything.
 */
import { AuthorizationV1Api } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { API_GROUP } from "../../crds/index.ts";
import { statusCode } from "../../kube/kube-api.ts";
import type { Queryable } from "../../store/index.ts";
import type { AccessCheck, Authorizer, UserInfo } from "../auth/kube-auth.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import type { McpGrafana } from "./tools-grafana.ts";

/** The caller of one MCP session and the parts its tools use. */
export interface McpCaller {
  /** The caller's Kubernetes username (recorded as requestedBy of a proposed plan). */
  username: string;
  /** Resolves when the caller may do what check describes; throws HttpError 403 otherwise. */
  authorize(check: AccessCheck): Promise<void>;
  /** The KubeConfig reads and writes are sent with, once authorize allowed them. */
  kc: KubeConfig;
  /** The incident store; the incident tools answer "not configured" without it. */
  store?: Queryable;
  /** Prometheus base URL for query_prometheus and diagnose's metric checks. */
  prometheusUrl?: string;
  /** Grafana for find_dashboards (tools-grafana.ts); the tool is not listed without it. */
  grafana?: McpGrafana;
  logger: Logger;
}

/** A caller authorized by the sidecar's guard, as the REST facade authorizes it. */
export function guardedCaller(
  user: UserInfo,
  authorizer: Authorizer,
  parts: Omit<McpCaller, "username" | "authorize">,
): McpCaller {
  return { ...parts, username: user.username, authorize: (check) => authorizer.authorize(user, check) };
}

/** The kubeconfig's own identity (stdio), asked with SelfSubjectAccessReview. */
export function kubeconfigCaller(
  kc: KubeConfig,
  parts: Omit<McpCaller, "username" | "authorize" | "kc">,
): McpCaller {
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const username = kc.getCurrentUser()?.name ?? "kubeconfig";
  return {
    ...parts,
    kc,
    username,
    async authorize(check) {
      let allowed: boolean;
      try {
        const review = await authz.createSelfSubjectAccessReview({
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { ...check, group: check.group ?? API_GROUP } },
          },
        });
        allowed = review.status?.allowed === true;
      } catch (err) {
        if (statusCode(err) === 401)
          throw new HttpError(401, "the API server did not accept the kubeconfig's credentials");
        throw fromKubeError(err, "reviewing access");
      }
      if (!allowed) throw new HttpError(403, denial(username, check));
    },
  };
}

/** "alice may not list pods in namespace shop", as the REST facade words it. */
export function denial(username: string, check: AccessCheck): string {
  const where = check.namespace ? ` in namespace ${check.namespace}` : " cluster-wide";
  const group = check.group === "" ? "" : `${check.group ?? API_GROUP} `;
  return `${username} may not ${check.verb} ${group}${check.resource}${where}`;
}
