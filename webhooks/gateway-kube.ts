/**
 * SreGateway on the Kubernetes API: what the WeCom plugin and the REST facade call. It acts
 * with the sidecar's own credentials; callers authorize their users first (REST: RBAC through
 * SubjectAccessReview; WeCom: AgentConfig policy.approvers).
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
  DecisionVia,
  ListTasksOptions,
  ObjectKey,
  PlanDecision,
  SreGateway,
} from "./gateway.ts";
import { SIDECAR_FIELD_MANAGER, listPathOf, pathOf } from "./kube.ts";
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

  constructor(client: KubeClient, defaultNamespace: string, logger: Logger) {
    this.client = client;
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
    decidedBy: string,
    via: DecisionVia,
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
    if (decided && plan.status?.approval?.decision === decision) return plan;
    try {
      if (!decided)
        await this.patch(pathOf(REMEDIATIONPLAN, namespace, name), { spec: { approval: { decision } } });
      const approval = {
        decision,
        decidedBy: decidedBy.slice(0, 256),
        decidedAt: new Date().toISOString(),
        via,
      };
      const updated = await this.patch<RemediationPlan>(pathOf(REMEDIATIONPLAN, namespace, name, "status"), {
        status: { approval },
      });
      this.logger.info({ namespace, name, decision, decidedBy, via }, "Recorded RemediationPlan decision");
      return updated;
    } catch (err) {
      // The CEL rule makes a decision final: a concurrent opposite decision is a 422 here.
      if (statusCode(err) === 422) throw new GatewayError("Conflict", `${what}: ${(err as Error).message}`);
      throw gatewayError(err, what);
    }
  }

  private patch<T>(path: string, body: unknown): Promise<T> {
    return this.client.request<T>("PATCH", path, { query: WRITE, contentType: MERGE, body });
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
