/**
 * SreGateway on the Kubernetes API: what the WeCom plugin and the REST facade call. It reads and
 * creates tasks with the sidecar's own credentials (callers authorize their users first: REST
 * through SubjectAccessReview). Plan decisions are made as the deciding person (the REST caller's
 * token, or a WeCom user's mapped identity impersonated), so the API server decides who may.
 */
import type { Logger } from "pino";
import type { RemediationPlan, SreTask } from "../crds/index.ts";
import { LIMITS, typeMeta } from "../crds/index.ts";
import type { KubeClient } from "../kube/kube-api.ts";
import { statusCode } from "../kube/kube-api.ts";
import { isKubeUnavailable } from "./errors.ts";
import { GatewayError } from "./gateway.ts";
import type {
  CreateTaskInput,
  DecisionActor,
  ListTasksOptions,
  ObjectKey,
  PlanDecision,
  SreGateway,
} from "./gateway.ts";
import { SIDECAR_FIELD_MANAGER, listPathOf, pathOf } from "./kube.ts";
import type { Acting, ActingClient } from "./acting.ts";
import { CLUSTER_POLICY_NAME, chatIdentityOf } from "./chat-identities.ts";
import { DECISION_FIELD_MANAGERS } from "../crds/approval.ts";
import { REMEDIATIONPLAN, SRETASK } from "../crds/resources.ts";

/** Label on tasks created through the gateway, naming the channel. */
export const SOURCE_LABEL = "aisre.io/source";

const WRITE = { fieldManager: SIDECAR_FIELD_MANAGER };
const MERGE = "application/merge-patch+json";
// listTasks sorts newest first, which the API cannot do: it reads at most this many.
const LIST_SCAN_LIMIT = 5000;
const PAGE = 500;

/** A GatewayError for a failed API call, or the error itself when no code fits (e.g. 403). */
export function gatewayError(err: unknown, what: string): unknown {
  if (err instanceof GatewayError) return err;
  if (isKubeUnavailable(err))
    return new GatewayError("Unavailable", `Kubernetes API unavailable while ${what}`);
  const body = (err as { body?: { message?: unknown; details?: { causes?: { field?: string }[] } } }).body;
  const message = typeof body?.message === "string" ? body.message : `${what} failed`;
  switch (statusCode(err)) {
    case 404:
      return new GatewayError("NotFound", `${what}: not found`);
    case 409:
      return new GatewayError("Conflict", message);
    case 400:
    case 422:
      return new GatewayError("Invalid", message, body?.details?.causes?.find((c) => c.field)?.field);
    default:
      return err;
  }
}

const newestFirst = (a: SreTask, b: SreTask): number =>
  (b.metadata.creationTimestamp ? Date.parse(String(b.metadata.creationTimestamp)) : 0) -
  (a.metadata.creationTimestamp ? Date.parse(String(a.metadata.creationTimestamp)) : 0);

/** The gateway of a sidecar. */
export class KubeGateway implements SreGateway {
  private readonly client: KubeClient;
  private readonly defaultNamespace: string;
  private readonly logger: Logger;
  private readonly acting: ActingClient | undefined;

  /**
   * `acting` makes plan decisions as the deciding person (webhooks/acting.ts); without it the
   * gateway cannot decide. `defaultNamespace` is also where cluster policy (chatIdentities) lives.
   */
  constructor(client: KubeClient, defaultNamespace: string, logger: Logger, acting?: ActingClient) {
    this.client = client;
    this.acting = acting;
    this.defaultNamespace = defaultNamespace;
    this.logger = logger;
  }

  async createTask(input: CreateTaskInput): Promise<ObjectKey> {
    const description = input.description.trim();
    if (!description) throw new GatewayError("Invalid", "a task needs a description", "description");
    if (description.length > LIMITS.text)
      throw new GatewayError(
        "Invalid",
        `description is longer than ${LIMITS.text} characters`,
        "description",
      );
    const namespace = input.namespace ?? this.defaultNamespace;
    const task: SreTask = {
      ...typeMeta("SreTask"),
      metadata: {
        ...(input.name ? { name: input.name } : { generateName: `${input.source.toLowerCase()}-` }),
        namespace,
        labels: { [SOURCE_LABEL]: input.source.toLowerCase() },
      },
      spec: { source: input.source, description, requestedBy: input.requestedBy.slice(0, 256) },
    };
    if (input.target) task.spec.target = input.target;
    try {
      const created = await this.client.request<SreTask>("POST", listPathOf(SRETASK, namespace), {
        query: WRITE,
        body: task,
      });
      const key = { namespace, name: created.metadata.name! };
      this.logger.info({ ...key, source: input.source, requestedBy: input.requestedBy }, "Created SreTask");
      return key;
    } catch (err) {
      throw gatewayError(err, `creating an SreTask in ${namespace}`);
    }
  }

  getTask(namespace: string, name: string): Promise<SreTask | undefined> {
    return this.read<SreTask>(pathOf(SRETASK, namespace, name), `reading SreTask ${namespace}/${name}`);
  }

  async listTasks(options: ListTasksOptions): Promise<SreTask[]> {
    const items: SreTask[] = [];
    let cont: string | undefined;
    try {
      do {
        const page = await this.client.request<{ items: SreTask[]; metadata?: { continue?: string } }>(
          "GET",
          listPathOf(SRETASK, options.namespace),
          { query: { limit: PAGE, continue: cont } },
        );
        items.push(...page.items);
        cont = page.metadata?.continue || undefined;
      } while (cont && items.length < LIST_SCAN_LIMIT);
    } catch (err) {
      throw gatewayError(err, "listing SreTasks");
    }
    return items.sort(newestFirst).slice(0, Math.max(0, options.limit));
  }

  getPlan(namespace: string, name: string): Promise<RemediationPlan | undefined> {
    return this.read<RemediationPlan>(
      pathOf(REMEDIATIONPLAN, namespace, name),
      `reading RemediationPlan ${namespace}/${name}`,
    );
  }

  async decidePlan(
    namespace: string,
    name: string,
    decision: PlanDecision,
    actor: DecisionActor,
  ): Promise<RemediationPlan> {
    const what = `deciding RemediationPlan ${namespace}/${name}`;
    const plan = await this.getPlan(namespace, name);
    if (!plan) throw new GatewayError("NotFound", `RemediationPlan ${namespace}/${name} not found`);
    const decided = plan.spec.approval?.decision;
    if (decided && decided !== decision)
      throw new GatewayError(
        "Conflict",
        `RemediationPlan ${namespace}/${name} is already ${decided}; decisions are final`,
      );
    // A repeated identical decision keeps the first decider on record.
    if (decided) return plan;
    if (!this.acting) throw new GatewayError("Unavailable", `${what}: no acting client is configured`);
    const { acting, username: decidedBy } = await this.actingAs(actor);
    try {
      const updated = await this.acting<RemediationPlan>(acting, {
        method: "PATCH",
        path: pathOf(REMEDIATIONPLAN, namespace, name),
        query: { fieldManager: DECISION_FIELD_MANAGERS[actor.via] },
        contentType: MERGE,
        body: { spec: { approval: { decision, decidedBy } } },
      });
      this.logger.info(
        {
          namespace,
          name,
          decision,
          decidedBy,
          via: actor.via,
          ...("wecomUserId" in actor ? { wecomUser: actor.wecomUserId } : {}),
        },
        "Recorded RemediationPlan decision",
      );
      return updated;
    } catch (err) {
      // The CEL rule makes a decision final: a concurrent opposite decision is a 422 here.
      if (statusCode(err) === 422) throw new GatewayError("Conflict", `${what}: ${(err as Error).message}`);
      // RBAC or the aisre-remediationplan-approval policy said no to this person: their words.
      if (statusCode(err) === 403) throw new GatewayError("Forbidden", (err as Error).message);
      if (statusCode(err) === 401)
        throw new GatewayError(
          "Forbidden",
          `${what}: the API server did not accept the caller's token; a REST decision is made with it, ` +
            "so it must be valid for the API server too (mint it with the API server's audience as well)",
        );
      throw gatewayError(err, what);
    }
  }

  /** The acting credentials of a decision: the REST caller's token, or a WeCom user's mapped identity. */
  private async actingAs(actor: DecisionActor): Promise<{ acting: Acting; username: string }> {
    if (actor.via === "REST") return { acting: { token: actor.token }, username: actor.username };
    let identity;
    try {
      identity = await chatIdentityOf(this.client, this.defaultNamespace, actor.wecomUserId);
    } catch (err) {
      throw gatewayError(err, `reading AgentConfig ${this.defaultNamespace}/${CLUSTER_POLICY_NAME}`);
    }
    if (!identity)
      throw new GatewayError(
        "Forbidden",
        `WeCom user ${actor.wecomUserId} has no Kubernetes identity in AgentConfig ` +
          `${this.defaultNamespace}/${CLUSTER_POLICY_NAME} spec.policy.chatIdentities`,
      );
    const acting: Acting = {
      impersonate: { user: identity.kubernetesUser, ...(identity.groups ? { groups: identity.groups } : {}) },
    };
    return { acting, username: identity.kubernetesUser };
  }

  private async read<T>(path: string, what: string): Promise<T | undefined> {
    try {
      return await this.client.request<T>("GET", path);
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw gatewayError(err, what);
    }
  }
}
