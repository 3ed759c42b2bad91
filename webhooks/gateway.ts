/**
 * The port the chat channels (WeCom) and the REST facade use to reach the cluster: create and read
 * SreTasks, read and decide RemediationPlans. webhooks/gateway-kube.ts implements it on the
 * Kubernetes API; tests may implement it in memory. Signatures are stable: other plugins code
 * against them.
 */
import type { ObjectReference, RemediationPlan, SreTask } from "../crds/index.ts";

/** Channels a task can be opened from through the gateway. */
export type GatewaySource = "WeCom" | "REST";

/** A plan decision. */
export type PlanDecision = "Approved" | "Rejected";

/** Channels a plan decision can arrive through. */
export type DecisionVia = "REST" | "WeCom";

/**
 * Who decides, as the API server will see them: a REST caller makes the change with their own
 * bearer token; a WeCom user through the Kubernetes identity cluster policy maps them to
 * (AgentConfig spec.policy.chatIdentities), which the sidecar impersonates. Either way RBAC
 * (verb approve) and the aisre-remediationplan-approval policy decide, and the decider recorded
 * is that Kubernetes username.
 */
export type DecisionActor =
  { via: "REST"; username: string; token: string } | { via: "WeCom"; wecomUserId: string };

/** What a chat message or REST call asks for. */
export interface CreateTaskInput {
  /** Where the task goes; the gateway's default namespace (AISRE_NAMESPACE) when absent. */
  namespace?: string;
  /**
   * A deterministic name makes creation idempotent across replicas (a retried WeCom message
   * hits AlreadyExists → Conflict); a generated name is used when absent.
   */
  name?: string;
  /** The request in the person's words. */
  description: string;
  /** The resource to work on, when the caller already knows it. */
  target?: ObjectReference;
  source: GatewaySource;
  /** Who asked (WeCom user id, REST username); recorded, never used for authorization. */
  requestedBy: string;
}

/** Where a created object lives. */
export interface ObjectKey {
  namespace: string;
  name: string;
}

/** Options of listTasks. */
export interface ListTasksOptions {
  /** One namespace; all namespaces when absent. */
  namespace?: string;
  /** At most this many, newest first. */
  limit: number;
}

/** Why a gateway call failed, so each channel can answer in its own words. */
export type GatewayErrorCode = "NotFound" | "Conflict" | "Invalid" | "Unavailable" | "Forbidden";

/** A failure of a gateway call with a channel-neutral code. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  /** The field at fault, for Invalid. */
  readonly field?: string;

  constructor(code: GatewayErrorCode, message: string, field?: string) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
    this.field = field;
  }
}

/** The cluster, as seen by the sidecar's channels. */
export interface SreGateway {
  /** Creates an SreTask (generated name) and returns where it is. */
  createTask(input: CreateTaskInput): Promise<ObjectKey>;
  /** Reads an SreTask; undefined when it does not exist. */
  getTask(namespace: string, name: string): Promise<SreTask | undefined>;
  /** Lists SreTasks, newest first. */
  listTasks(options: ListTasksOptions): Promise<SreTask[]>;
  /**
   * Records a decision on a RemediationPlan as the actor: spec.approval {decision, decidedBy},
   * decidedBy being the actor's Kubernetes username; the operator records status.approval from
   * it. Throws GatewayError NotFound; Conflict when the plan was already decided differently;
   * Forbidden (with the API server's message) when the actor may not approve, or a WeCom user
   * has no mapped identity.
   */
  decidePlan(
    namespace: string,
    name: string,
    decision: PlanDecision,
    actor: DecisionActor,
  ): Promise<RemediationPlan>;
  /** Reads a RemediationPlan; undefined when it does not exist. */
  getPlan(namespace: string, name: string): Promise<RemediationPlan | undefined>;
}
