/**
 * The operator-wide WeCom sending settings from the environment (the default for namespaces whose
 * AgentConfig sets no spec.notifications):
 *   AISRE_WECOM_AGENT_ID, AISRE_WECOM_SECRET, AISRE_WECOM_CORP_ID   the application message API
 *   AISRE_WECOM_ROBOT_WEBHOOK                                      a group robot instead of the app
 *   AISRE_WECOM_API_BASE          default https://qyapi.weixin.qq.com (tests point it at a stand-in)
 *   AISRE_WECOM_TO_USER, AISRE_WECOM_TO_PARTY   default notification recipients (app mode)
 *   AISRE_WECOM_LANG              zh (default) or en, for notifications
 * The sidecar's callback variables are read by webhooks/wecom/callback-env.ts.
 * Errors name the variables, never their values.
 */
import type { Lang } from "../channel.ts";
import type { Logger } from "../log.ts";
import { WeComNotifier } from "./notifier.ts";
import { AppSender, RobotSender } from "./senders.ts";
import type { Recipients, SenderOptions, WeComSender } from "./senders.ts";

/** The default WeCom API. */
export const DEFAULT_API_BASE = "https://qyapi.weixin.qq.com";

/** The WeCom sending settings. */
export interface WeComEnv {
  /** Present when the application message API is configured. */
  app?: { corpId: string; corpSecret: string; agentId: number };
  robotWebhook?: string;
  apiBase: string;
  lang: Lang;
  to: Recipients;
}

/** Environment variables by name. */
export type Env = Record<string, string | undefined>;

/** Throws naming the missing ones when some but not all are set; true when all are. */
export function allOrNone(env: Env, names: string[], what: string): boolean {
  const missing = names.filter((n) => !env[n]);
  if (missing.length === names.length) return false;
  if (missing.length > 0) throw new Error(`${what} needs ${missing.join(", ")} as well`);
  return true;
}

/** Checks that a value is an http(s) URL; `what` names it in the error, never the value. */
export function checkHttpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`${what} must be an http(s) URL`);
  return value;
}

function httpUrl(env: Env, name: string): string | undefined {
  const value = env[name];
  return value ? checkHttpUrl(value, name) : undefined;
}

/** AISRE_WECOM_AGENT_ID as a number (the app API and the callback share it). */
export function agentIdFromEnv(env: Env): number | undefined {
  const value = env.AISRE_WECOM_AGENT_ID;
  if (!value) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1)
    throw new Error("AISRE_WECOM_AGENT_ID must be a positive integer");
  return Number(value);
}

/** Reads and checks the WeCom sending settings; throws on a partial or invalid configuration. */
export function loadWeComEnv(env: Env = process.env): WeComEnv {
  const config: WeComEnv = {
    apiBase: httpUrl(env, "AISRE_WECOM_API_BASE") ?? DEFAULT_API_BASE,
    lang: env.AISRE_WECOM_LANG === "en" ? "en" : "zh",
    to: {},
  };
  if (env.AISRE_WECOM_TO_USER) config.to.toUser = env.AISRE_WECOM_TO_USER;
  if (env.AISRE_WECOM_TO_PARTY) config.to.toParty = env.AISRE_WECOM_TO_PARTY;
  const id = agentIdFromEnv(env);
  if (env.AISRE_WECOM_SECRET) {
    allOrNone(
      env,
      ["AISRE_WECOM_SECRET", "AISRE_WECOM_CORP_ID", "AISRE_WECOM_AGENT_ID"],
      "the WeCom app API",
    );
    config.app = {
      corpId: env.AISRE_WECOM_CORP_ID as string,
      corpSecret: env.AISRE_WECOM_SECRET,
      agentId: id as number,
    };
  }
  const robot = httpUrl(env, "AISRE_WECOM_ROBOT_WEBHOOK");
  if (robot) config.robotWebhook = robot;
  return config;
}

/** The sender the settings configure: the application API, else the robot, else none. */
export function createSender(config: WeComEnv, options: SenderOptions): WeComSender | undefined {
  if (config.app) return new AppSender({ ...options, apiBase: config.apiBase, ...config.app });
  if (config.robotWebhook) return new RobotSender({ ...options, webhookUrl: config.robotWebhook });
  return undefined;
}

/** The notifier the settings configure, or undefined when neither the app API nor a robot is set. */
export function createNotifier(
  config: WeComEnv,
  logger: Logger,
  fetchImpl?: typeof fetch,
): WeComNotifier | undefined {
  const sender = createSender(config, fetchImpl ? { logger, fetch: fetchImpl } : { logger });
  return sender && new WeComNotifier({ sender, logger, lang: config.lang, to: config.to });
}
