/**
 * Turns a verified text message into gateway calls and a reply text. The identity is always the
 * message's FromUserName, which WeCom signed; nothing in the text can claim to be someone else.
 */
import type { Logger } from "./log.ts";
import { GatewayError } from "../gateway.ts";
import type { CreateTaskInput, ObjectKey, SreGateway } from "../gateway.ts";
import { decidePlan } from "./approvals.ts";
import type { ApproverSource } from "./approvals.ts";
import { isClusterScoped } from "./commands.ts";
import type { Command } from "./commands.ts";
import type { FollowUps } from "./follow-up.ts";
import { diagnoseIn, listTasks, readTask, refusalReply } from "./read-access.ts";
import type { ChatReads, ReadRefusal } from "./read-access.ts";
import { taskNameForMessage } from "./replay.ts";
import { taskView } from "../../notify/views.ts";
import { stringsFor } from "../../notify/wecom/strings.ts";

/** What the handler needs. */
export interface HandlerContext {
  gateway: SreGateway;
  approvers: ApproverSource;
  corpId: string;
  /** Namespace of new tasks and of references written without one. */
  namespace: string;
  logger: Logger;
  /** Absent when no message API is configured: then no result follows the acknowledgement. */
  followUps?: FollowUps;
  /** How many tasks "status" lists. */
  listLimit?: number;
  /** What the user may read: SubjectAccessReview of the Kubernetes identity they are mapped to. */
  reads: ChatReads;
}

/** A verified text message, reduced to what the handler uses. */
export interface TextRequest {
  userId: string;
  msgId: string;
  command: Command;
}

/** The reply text and, for a new task, where it is (recorded for MsgId deduplication). */
export interface HandlerResult {
  text: string;
  task?: ObjectKey;
}

/**
 * createTask with a deterministic name. The gateway's CreateTaskInput has no name field yet; a
 * gateway that honours `name` makes a message retried on another replica create-or-get one task.
 */
type NamedCreateTaskInput = CreateTaskInput & { name: string };

async function diagnose(
  ctx: HandlerContext,
  req: TextRequest,
  cmd: Extract<Command, { kind: "diagnose" }>,
): Promise<HandlerResult> {
  const text = stringsFor(cmd.lang);
  const name = taskNameForMessage(ctx.corpId, req.msgId);
  const target =
    cmd.target && !cmd.target.namespace && !isClusterScoped(cmd.target.kind)
      ? { ...cmd.target, namespace: ctx.namespace }
      : cmd.target;
  // The task lives in its target's namespace: a task may not target another namespace.
  const namespace = target?.namespace ?? ctx.namespace;
  const refused = await ctx.reads.refusal(req.userId, diagnoseIn(namespace));
  if (refused) return { text: refuse(ctx, req.userId, cmd.lang, refused, namespace) };
  const input: NamedCreateTaskInput = {
    namespace,
    name,
    description: cmd.description,
    source: "WeCom",
    requestedBy: req.userId,
    ...(target ? { target } : {}),
  };
  let key: ObjectKey;
  try {
    key = await ctx.gateway.createTask(input);
  } catch (err) {
    // AlreadyExists: this MsgId was handled (by another replica); answer as the duplicate it is.
    if (err instanceof GatewayError && err.code === "Conflict") {
      return { text: text.duplicateMessage(`${namespace}/${name}`) };
    }
    throw err;
  }
  ctx.logger.info(
    { user: req.userId, task: `${key.namespace}/${key.name}` },
    "Created an SreTask from WeCom",
  );
  const following = ctx.followUps?.watch(key, req.userId, cmd.lang) ?? false;
  return { text: text.taskCreated(`${key.namespace}/${key.name}`, following), task: key };
}

/** The reply to a refused read; logged, since it may be someone probing. */
function refuse(
  ctx: HandlerContext,
  userId: string,
  lang: Command["lang"],
  refusal: ReadRefusal,
  namespace: string | undefined,
): string {
  ctx.logger.warn(
    { user: userId, namespace: namespace ?? "*", reason: refusal.reason },
    "Refused a WeCom read",
  );
  return refusalReply(stringsFor(lang), refusal, namespace);
}

async function status(
  ctx: HandlerContext,
  userId: string,
  cmd: Extract<Command, { kind: "status" }>,
): Promise<string> {
  const text = stringsFor(cmd.lang);
  if (cmd.task) {
    const namespace = cmd.task.namespace ?? ctx.namespace;
    const refused = await ctx.reads.refusal(userId, readTask(namespace));
    if (refused) return refuse(ctx, userId, cmd.lang, refused, namespace);
    const task = await ctx.gateway.getTask(namespace, cmd.task.name);
    return task ? text.taskStatus(taskView(task)) : text.taskNotFound(`${namespace}/${cmd.task.name}`);
  }
  // Every namespace's tasks when the identity may list them all, else the default namespace's.
  const everywhere = (await ctx.reads.refusal(userId, listTasks())) === undefined;
  if (!everywhere) {
    const refused = await ctx.reads.refusal(userId, listTasks(ctx.namespace));
    if (refused) return refuse(ctx, userId, cmd.lang, refused, ctx.namespace);
  }
  const scope = everywhere ? {} : { namespace: ctx.namespace };
  const tasks = await ctx.gateway.listTasks({ limit: ctx.listLimit ?? 5, ...scope });
  return tasks.length > 0 ? text.taskList(tasks.map(taskView)) : text.noTasks;
}

/** The reply for a failure, in the user's words; unexpected errors are logged. */
function failureReply(ctx: HandlerContext, cmd: Command, err: unknown): string {
  const text = stringsFor(cmd.lang);
  if (err instanceof GatewayError) {
    const plan = cmd.kind === "approve" || cmd.kind === "reject" ? cmd.plan : undefined;
    const planRef = plan && `${plan.namespace ?? ctx.namespace}/${plan.name}`;
    if (planRef && err.code === "Conflict") return text.planConflict(planRef);
    if (planRef && err.code === "NotFound") return text.planNotFound(planRef);
    if (planRef && err.code === "Forbidden") {
      ctx.logger.warn({ plan: planRef, reason: err.message }, "The API server refused a WeCom plan decision");
      return text.notApprover(planRef);
    }
    if (err.code === "Unavailable") return text.unavailable;
    return text.invalid(err.field);
  }
  ctx.logger.error({ command: cmd.kind, error: (err as Error).message }, "Failed to handle a WeCom command");
  return text.unavailable;
}

async function dispatch(ctx: HandlerContext, req: TextRequest): Promise<HandlerResult> {
  const cmd = req.command;
  const text = stringsFor(cmd.lang);
  const decision = { ...ctx, text };
  switch (cmd.kind) {
    case "help":
      return { text: text.help };
    case "usage":
      return { text: text.usage(cmd.command) };
    case "diagnose":
      return diagnose(ctx, req, cmd);
    case "status":
      return { text: await status(ctx, req.userId, cmd) };
    case "approve":
      return { text: await decidePlan(decision, cmd.plan, "Approved", req.userId) };
    case "reject":
      return { text: await decidePlan(decision, cmd.plan, "Rejected", req.userId) };
  }
}

/** Handles a verified text command; failures become a reply, never an exception. */
export async function handleText(ctx: HandlerContext, req: TextRequest): Promise<HandlerResult> {
  try {
    return await dispatch(ctx, req);
  } catch (err) {
    return { text: failureReply(ctx, req.command, err) };
  }
}
