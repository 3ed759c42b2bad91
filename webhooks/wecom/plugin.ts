/**
 * The WeCom callback as a Fastify plugin: GET /wecom/callback answers the URL verification,
 * POST /wecom/callback takes encrypted messages and answers within WeCom's 5 s budget with an
 * encrypted passive reply. Encapsulated: its XML body parser applies to its own routes only.
 *
 * Refusals: bad signature or wrong receiver → 401, malformed → 400, stale or replayed → 403,
 * each as a short plain-text body that says nothing about the secrets.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { WeComNotifier } from "../../notify/wecom/notifier.ts";
import { truncateBytes } from "../../notify/wecom/wecom-api.ts";
import type { SreGateway } from "../gateway.ts";
import type { ApproverSource } from "./approvals.ts";
import {
  CallbackError,
  assertEncodingAESKey,
  decryptVerified,
  encryptReply,
  verifySignature,
} from "./callback-crypto.ts";
import type { CallbackSecrets } from "./callback-crypto.ts";
import type { Lang } from "./commands.ts";
import { FollowUps } from "./follow-up.ts";
import type { FollowUpOptions } from "./follow-up.ts";
import type { HandlerContext } from "./handler.ts";
import type { ChatReads } from "./read-access.ts";
import { buildEncryptedReply, buildTextReply, parseEnvelope, parseMessage } from "./message.ts";
import type { IncomingMessage } from "./message.ts";
import { ReplayGuard } from "./replay.ts";
import type { ReplayOptions } from "./replay.ts";
import { respond } from "./respond.ts";
import type { Handled } from "./respond.ts";

/** Options of wecomPlugin. */
export interface WeComPluginOptions {
  /** Token, EncodingAESKey and CorpID of the application's callback. */
  secrets: CallbackSecrets;
  /** When set, messages for another application are refused. */
  agentId?: number;
  gateway: SreGateway;
  /** Who may approve: spec.policy.approvers of the plan's AgentConfig (kubeApprovers). */
  approvers: ApproverSource;
  /**
   * What each WeCom user may read (diagnose, status): SubjectAccessReview of the Kubernetes
   * identity cluster policy maps them to (chatReads); unmapped users read nothing.
   */
  reads: ChatReads;
  /** Sends results after the acknowledgement; without it, users ask with "status". */
  notifier?: WeComNotifier;
  /** Namespace of new tasks and of references without one. Default "default". */
  namespace?: string;
  /** Language of replies to non-text messages. Default zh. */
  lang?: Lang;
  replay?: ReplayOptions;
  followUp?: FollowUpOptions;
  /** Answer by then, and send the rest through the message API. Default 4000 ms (WeCom waits 5 s). */
  replyDeadlineMs?: number;
  /** Largest accepted body. Default 64 KiB. */
  bodyLimit?: number;
}

const STATUS: Record<CallbackError["failure"], number> = {
  BadSignature: 401,
  WrongReceiver: 401,
  Malformed: 400,
  Stale: 403,
  Replayed: 403,
};
const REFUSAL: Record<CallbackError["failure"], string> = {
  BadSignature: "invalid signature",
  WrongReceiver: "wrong receiver",
  Malformed: "malformed request",
  Stale: "stale timestamp",
  Replayed: "replayed request",
};
const XML_TYPES = ["text/xml", "application/xml"];

interface CallbackQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
  echostr?: string;
}

function readQuery(query: unknown, withEchostr: boolean): CallbackQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  const field = (name: string, pattern: RegExp): string => {
    const value = q[name];
    if (typeof value !== "string" || !pattern.test(value)) {
      throw new CallbackError("Malformed", `query ${name} is missing or invalid`);
    }
    return value;
  };
  const result: CallbackQuery = {
    msgSignature: field("msg_signature", /^[0-9a-fA-F]{40}$/),
    timestamp: field("timestamp", /^\d{1,12}$/),
    nonce: field("nonce", /^[A-Za-z0-9_-]{1,64}$/),
  };
  if (withEchostr) result.echostr = field("echostr", /^[A-Za-z0-9+/]{4,4096}={0,2}$/);
  return result;
}

function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof CallbackError)) throw err;
  request.log.warn({ failure: err.failure, reason: err.message }, "Refused a WeCom callback");
  return reply.code(STATUS[err.failure]).type("text/plain; charset=utf-8").send(REFUSAL[err.failure]);
}

function checkReceiver(opts: WeComPluginOptions, message: IncomingMessage, envelopeTo: string): void {
  const corpId = opts.secrets.corpId;
  if (message.toUserName !== corpId || envelopeTo !== corpId) {
    throw new CallbackError("WrongReceiver", "ToUserName is not the configured CorpID");
  }
  if (
    opts.agentId !== undefined &&
    message.agentId !== undefined &&
    Number(message.agentId) !== opts.agentId
  ) {
    throw new CallbackError("WrongReceiver", "AgentID is not the configured application");
  }
}

function sendEncrypted(
  opts: WeComPluginOptions,
  reply: FastifyReply,
  message: IncomingMessage,
  text: string,
) {
  const now = Math.floor(Date.now() / 1000);
  // WeCom shows at most 2048 bytes of a text message.
  const plaintext = buildTextReply(message.fromUserName, opts.secrets.corpId, truncateBytes(text, 2048), now);
  const timestamp = String(now);
  const nonce = randomBytes(8).toString("hex");
  const sealed = encryptReply(opts.secrets, plaintext, timestamp, nonce);
  const body = buildEncryptedReply({ ...sealed, timestamp, nonce });
  return reply.code(200).type("text/xml; charset=utf-8").send(body);
}

function addXmlParser(app: FastifyInstance, bodyLimit: number): void {
  const asString = { parseAs: "string" as const, bodyLimit };
  // The parent may have parsers of its own; this context replaces them for the WeCom routes only.
  for (const type of [...XML_TYPES, "*"]) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
  }
  app.addContentTypeParser(XML_TYPES, asString, (_request, body, done) => done(null, body));
  // WeCom's Content-Type is not part of the protocol: take any other body as text and let the
  // XML reader decide (JSON keeps Fastify's parser and is refused as malformed).
  app.addContentTypeParser("*", asString, (_request, body, done) => done(null, body));
}

/** Registers GET and POST /wecom/callback. */
export async function wecomPlugin(app: FastifyInstance, opts: WeComPluginOptions): Promise<void> {
  assertEncodingAESKey(opts.secrets.encodingAESKey);
  if (!opts.secrets.token || !opts.secrets.corpId)
    throw new Error("the WeCom callback needs a token and a CorpID");
  const bodyLimit = opts.bodyLimit ?? 64 * 1024;
  const logger = app.log.child({ component: "wecom" });
  const replay = new ReplayGuard<Handled>(opts.replay);
  const followUps = opts.notifier && new FollowUps(opts.gateway, opts.notifier, logger, opts.followUp);
  const ctx: HandlerContext = {
    gateway: opts.gateway,
    approvers: opts.approvers,
    reads: opts.reads,
    corpId: opts.secrets.corpId,
    namespace: opts.namespace ?? "default",
    logger,
    ...(followUps ? { followUps } : {}),
  };
  const deadlineMs = opts.replyDeadlineMs ?? 4000;
  addXmlParser(app, bodyLimit);
  app.addHook("onClose", async () => followUps?.close());

  app.get("/wecom/callback", async (request, reply) => {
    try {
      const q = readQuery(request.query, true);
      const echostr = q.echostr as string;
      if (!verifySignature(opts.secrets, q, echostr))
        throw new CallbackError("BadSignature", "signature mismatch");
      replay.admit(q.timestamp, q.nonce);
      const plaintext = decryptVerified(opts.secrets, echostr);
      request.log.info("Verified the WeCom callback URL");
      return reply.code(200).type("text/plain; charset=utf-8").send(plaintext);
    } catch (err) {
      return refuse(request, reply, err);
    }
  });

  app.post("/wecom/callback", { bodyLimit }, async (request, reply) => {
    try {
      const q = readQuery(request.query, false);
      if (typeof request.body !== "string") throw new CallbackError("Malformed", "body is not XML");
      const envelope = parseEnvelope(request.body);
      if (!verifySignature(opts.secrets, q, envelope.encrypt)) {
        throw new CallbackError("BadSignature", "signature mismatch");
      }
      replay.admit(q.timestamp, q.nonce);
      const message = parseMessage(decryptVerified(opts.secrets, envelope.encrypt));
      checkReceiver(opts, message, envelope.toUserName);
      const text = await respond({ ctx, replay, deadlineMs, lang: opts.lang ?? "zh" }, message);
      if (text === undefined) return reply.code(200).type("text/plain; charset=utf-8").send("");
      return sendEncrypted(opts, reply, message, text);
    } catch (err) {
      return refuse(request, reply, err);
    }
  });
}
