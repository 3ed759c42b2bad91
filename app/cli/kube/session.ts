/**
 * The cluster connection of a kubectl-style command: the kubeconfig (--kubeconfig, else
 * $KUBECONFIG, else ~/.kube/config), its context (--context), the namespace kubectl would use, and
 * the user the API server sees. Loaded only by the commands that talk to the cluster
 * (docs/adr/0007-cli-startup.md); every request is made as the kubeconfig's user.
 */
import type { KubeClient } from "../../../kube/kube-api.ts";
import { UsageError } from "../command.ts";
import type { KubeFlags } from "./flags.ts";

/** A connected command: the client, the namespace to use and where the server is. */
export interface Session {
  client: KubeClient;
  /** -n, else the context's namespace, else "default"; undefined with -A. */
  namespace: string | undefined;
  server: string;
}

/** Opens the session the flags describe; a missing kubeconfig or context is a UsageError. */
export async function openSession(flags: KubeFlags): Promise<Session> {
  const [{ KubeConfig }, { KubeClient }] = await Promise.all([
    import("@kubernetes/client-node"),
    import("../../../kube/kube-api.ts"),
  ]);
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const file = flags.kubeconfig ?? process.env.KUBECONFIG ?? "~/.kube/config";
    throw new UsageError(
      `cannot load the kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (flags.context) {
    if (!kc.getContextObject(flags.context))
      throw new UsageError(`context "${flags.context}" does not exist`);
    kc.setCurrentContext(flags.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError("the kubeconfig names no current context (use --context)");
  const namespace = flags.allNamespaces
    ? undefined
    : (flags.namespace ?? (kc.getContextObject(kc.getCurrentContext())?.namespace || "default"));
  return { client: KubeClient.fromKubeConfig(kc), namespace, server: cluster.server };
}

interface SelfSubjectReview {
  status?: { userInfo?: { username?: string } };
}

/** The username the API server authenticates this session as (what `kubectl auth whoami` prints). */
export async function whoAmI(client: KubeClient): Promise<string> {
  const review = await client.request<SelfSubjectReview>(
    "POST",
    "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    { body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } },
  );
  const username = review.status?.userInfo?.username;
  if (!username) throw new Error("the API server returned no username for this kubeconfig's user");
  return username;
}

interface StatusBody {
  reason?: string;
  message?: string;
}

/**
 * An API or connection error as kubectl prints it: `Error from server (Forbidden): <the API
 * server's own message>`, else `error: <what went wrong>` naming the server.
 */
export function describeError(err: unknown, server: string): string {
  const e = err as { code?: unknown; body?: unknown };
  if (typeof e?.code === "number" && e.code >= 400) {
    const body = (typeof e.body === "object" && e.body !== null ? e.body : {}) as StatusBody;
    // A 404 without a Status body is the path itself: the aisre.io API is not served there.
    if (e.code === 404 && !body.message)
      return "error: the server doesn't have the aisre.io/v1alpha1 API; install the aisre CRDs (crds/*.yaml)";
    const message = body.message ?? (typeof e.body === "string" && e.body ? e.body : `HTTP ${e.code}`);
    return `Error from server (${body.reason ?? e.code}): ${message}`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
  const text = `${err instanceof Error ? err.message : String(err)}${cause}`.replace(/\s*\n\s*/g, " ");
  return `error: cannot reach the API server at ${server}: ${text}`;
}
