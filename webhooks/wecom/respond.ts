/**
 * The answer to one verified message within WeCom's budget: events get no reply, other
 * non-text messages a hint, a MsgId already handled the same acknowledgement again, and a
 * command its result, or "working on it" when the result is late (it then follows through
 * the message API).
 */
import type { Lang } from "./commands.ts";
import { parseCommand } from "./commands.ts";
import { handleText } from "./handler.ts";
import type { HandlerContext, HandlerResult } from "./handler.ts";
import type { IncomingMessage } from "./message.ts";
import type { ReplayGuard } from "./replay.ts";
import { stringsFor } from "../../notify/wecom/strings.ts";

/** What a handled MsgId is remembered with: the task it created, once known. */
export interface Handled {
  lang: Lang;
  taskRef?: string;
}

/** What respond needs. */
export interface RespondContext {
  ctx: HandlerContext;
  replay: ReplayGuard<Handled>;
  deadlineMs: number;
  /** Language for messages without text. */
  lang: Lang;
}

const LATE = Symbol("late");

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The reply text for a verified message, or undefined for no reply. */
export async function respond(rc: RespondContext, message: IncomingMessage): Promise<string | undefined> {
  const { ctx, replay } = rc;
  if (message.msgType === "event") {
    ctx.logger.debug({ user: message.fromUserName, event: message.event }, "Received a WeCom event");
    return undefined;
  }
  const msgId = message.msgId;
  if (msgId) {
    const seen = replay.seenMessage(msgId);
    if (seen) {
      ctx.logger.info({ user: message.fromUserName, msgId }, "Answered a duplicate WeCom message");
      return stringsFor(seen.lang).duplicateMessage(seen.taskRef);
    }
  }
  if (message.msgType !== "text" || message.content === undefined || !msgId) {
    if (msgId) replay.rememberMessage(msgId, { lang: rc.lang });
    return stringsFor(rc.lang).unsupportedMessage;
  }
  const command = parseCommand(message.content);
  const handled: Handled = { lang: command.lang };
  // Remember before the work starts, so a retry arriving meanwhile is a duplicate too.
  replay.rememberMessage(msgId, handled);
  ctx.logger.info({ user: message.fromUserName, msgId, command: command.kind }, "Received a WeCom command");
  const work = handleText(ctx, { userId: message.fromUserName, msgId, command }).then(
    (result: HandlerResult) => {
      if (result.task) handled.taskRef = `${result.task.namespace}/${result.task.name}`;
      return result.text;
    },
  );
  const answer = await within(work, rc.deadlineMs);
  if (answer !== LATE) return answer;
  ctx.logger.info({ user: message.fromUserName, msgId }, "Acknowledged a slow WeCom command");
  const followUps = ctx.followUps;
  if (followUps) void work.then((text) => followUps.reply(message.fromUserName, text));
  return stringsFor(command.lang).working(followUps !== undefined);
}
