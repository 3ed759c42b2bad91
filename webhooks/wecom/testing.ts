/**
 * Test helpers for the WeCom callback (used by the unit tests beside the code and by
 * test/sidecar/wecom.test.ts): messages sealed with the official @wecom/crypto package and an
 * in-memory SreGateway. The stand-in for the WeCom API is notify/wecom/testing.ts.
 */
import { randomBytes } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { typeMeta } from "../../crds/index.ts";
import { GatewayError } from "../gateway.ts";
import type {
  CreateTaskInput,
  DecisionActor,
  ListTasksOptions,
  ObjectKey,
  PlanDecision,
  SreGateway,
} from "../gateway.ts";

/** Callback secrets of a test application. */
export const TEST_SECRETS = {
  token: "QDG6eK1zT9wq",
  encodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
};

/** A query string and body as WeCom would send them. */
export interface Sealed {
  query: string;
  body: string;
  timestamp: string;
  nonce: string;
}

const nowSeconds = (): string => String(Math.floor(Date.now() / 1000));
const freshNonce = (): string => randomBytes(6).toString("hex");

/** Encrypts and signs a plaintext message the way WeCom does (official package). */
export function sealMessage(
  plaintext: string,
  options: { secrets?: typeof TEST_SECRETS; receiveId?: string; timestamp?: string; nonce?: string } = {},
): Sealed {
  const secrets = options.secrets ?? TEST_SECRETS;
  const timestamp = options.timestamp ?? nowSeconds();
  const nonce = options.nonce ?? freshNonce();
  const ciphertext = encrypt(secrets.encodingAESKey, plaintext, options.receiveId ?? secrets.corpId);
  const signature = getSignature(secrets.token, timestamp, nonce, ciphertext);
  const body = `<xml><ToUserName><![CDATA[${secrets.corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`;
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
  return { query, body, timestamp, nonce };
}

/** The query of a URL verification (GET) as WeCom sends it. */
export function sealEcho(
  echo: string,
  options: { secrets?: typeof TEST_SECRETS; receiveId?: string; timestamp?: string; nonce?: string } = {},
): string {
  const secrets = options.secrets ?? TEST_SECRETS;
  const timestamp = options.timestamp ?? nowSeconds();
  const nonce = options.nonce ?? freshNonce();
  const echostr = encrypt(secrets.encodingAESKey, echo, options.receiveId ?? secrets.corpId);
  const msg_signature = getSignature(secrets.token, timestamp, nonce, echostr);
  return new URLSearchParams({ msg_signature, timestamp, nonce, echostr }).toString();
}

/** A decrypted text message from a user. */
export function textMessage(
  from: string,
  content: string,
  msgId: string,
  corpId = TEST_SECRETS.corpId,
): string {
  const created = Math.floor(Date.now() / 1000);
  return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${created}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
}

/** Opens an encrypted passive reply: checks its signature and returns the reply's Content. */
export function openReply(body: string, secrets = TEST_SECRETS): { content: string; to: string } {
  const field = (xml: string, name: string): string => {
    const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
    if (!m) throw new Error(`reply has no <${name}>`);
    return m[1] ?? m[2] ?? "";
  };
  const ciphertext = field(body, "Encrypt");
  const expected = getSignature(secrets.token, field(body, "TimeStamp"), field(body, "Nonce"), ciphertext);
  if (expected !== field(body, "MsgSignature")) throw new Error("reply signature does not verify");
  const { message, id } = decrypt(secrets.encodingAESKey, ciphertext);
  if (id !== secrets.corpId) throw new Error("reply receive id is not the CorpID");
  return { content: field(message, "Content"), to: field(message, "ToUserName") };
}

/** An SreGateway in memory; honours an optional `name` on createTask (create, 409 when it exists). */
export class MemoryGateway implements SreGateway {
  readonly tasks = new Map<string, SreTask>();
  readonly plans = new Map<string, RemediationPlan>();
  readonly decisions: {
    namespace: string;
    name: string;
    decision: PlanDecision;
    decidedBy: string;
    via: string;
  }[] = [];
  /** Makes every call wait this long first (to test the reply deadline). */
  delayMs = 0;
  /**
   * Cluster policy's chatIdentities as wecomUserId → Kubernetes user; undefined maps every WeCom
   * user to a Kubernetes user of the same name.
   */
  chatIdentities: Record<string, string> | undefined;

  constructor(chatIdentities?: Record<string, string>) {
    this.chatIdentities = chatIdentities;
  }
  #seq = 0;

  async #wait(): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }

  async createTask(input: CreateTaskInput & { name?: string }): Promise<ObjectKey> {
    await this.#wait();
    const namespace = input.namespace ?? "default";
    const name = input.name ?? `wecom-${++this.#seq}`;
    if (this.tasks.has(`${namespace}/${name}`)) throw new GatewayError("Conflict", "already exists");
    const spec: SreTask["spec"] = {
      source: input.source,
      description: input.description,
      requestedBy: input.requestedBy,
    };
    if (input.target) spec.target = input.target;
    const created = new Date(Date.now() + this.#seq).toISOString();
    this.tasks.set(`${namespace}/${name}`, {
      ...typeMeta("SreTask"),
      metadata: { namespace, name, creationTimestamp: created as unknown as Date },
      spec,
    });
    return { namespace, name };
  }

  async getTask(namespace: string, name: string): Promise<SreTask | undefined> {
    await this.#wait();
    return this.tasks.get(`${namespace}/${name}`);
  }

  async listTasks(options: ListTasksOptions): Promise<SreTask[]> {
    await this.#wait();
    return [...this.tasks.values()]
      .filter((t) => !options.namespace || t.metadata.namespace === options.namespace)
      .reverse()
      .slice(0, options.limit);
  }

  async getPlan(namespace: string, name: string): Promise<RemediationPlan | undefined> {
    await this.#wait();
    return this.plans.get(`${namespace}/${name}`);
  }

  async decidePlan(
    namespace: string,
    name: string,
    decision: PlanDecision,
    actor: DecisionActor,
  ): Promise<RemediationPlan> {
    await this.#wait();
    const plan = this.plans.get(`${namespace}/${name}`);
    if (!plan) throw new GatewayError("NotFound", "not found");
    if (plan.spec.approval && plan.spec.approval.decision !== decision)
      throw new GatewayError("Conflict", "final");
    const decidedBy =
      actor.via === "REST"
        ? actor.username
        : this.chatIdentities
          ? this.chatIdentities[actor.wecomUserId]
          : actor.wecomUserId;
    if (decidedBy === undefined) throw new GatewayError("Forbidden", `${actor.via} user is not mapped`);
    const via = actor.via;
    plan.spec.approval = { decision, decidedBy };
    const decidedAt = new Date().toISOString();
    plan.status = { ...plan.status, phase: decision, approval: { decision, decidedBy, decidedAt, via } };
    this.decisions.push({ namespace, name, decision, decidedBy, via });
    return plan;
  }

  /** Adds a plan awaiting approval, governed by the AgentConfig "default". */
  addPlan(namespace: string, name: string, phase = "AwaitingApproval"): RemediationPlan {
    const plan: RemediationPlan = {
      ...typeMeta("RemediationPlan"),
      metadata: { namespace, name },
      spec: {
        description: "Restart checkout to pick up the fixed ConfigMap",
        steps: [
          {
            name: "restart",
            action: "RolloutRestart",
            target: { kind: "Deployment", namespace, name: "checkout" },
          },
        ],
      },
      status: { phase: phase as "AwaitingApproval", risk: "medium" },
    };
    this.plans.set(`${namespace}/${name}`, plan);
    return plan;
  }
}
