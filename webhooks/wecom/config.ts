/**
 * WeCom settings from the environment:
 *   AISRE_WECOM_TOKEN, AISRE_WECOM_ENCODING_AES_KEY, AISRE_WECOM_CORP_ID   the callback (all or none)
 *   AISRE_WECOM_AGENT_ID, AISRE_WECOM_SECRET (+ CORP_ID)                   the application message API
 *   AISRE_WECOM_ROBOT_WEBHOOK                                              a group robot instead of the app
 *   AISRE_WECOM_API_BASE          default https://qyapi.weixin.qq.com (tests point it at a stand-in)
 *   AISRE_WECOM_TO_USER, AISRE_WECOM_TO_PARTY   default notification recipients (app mode)
 *   AISRE_WECOM_LANG              zh (default) or en, for notifications
 * Errors name the variables, never their values.
 */
import type { Logger } from "./log.ts";
import { assertEncodingAESKey } from "./callback-crypto.ts";
import type { CallbackSecrets } from "./callback-crypto.ts";
import type { Lang } from "./commands.ts";
import { WeComNotifier } from "./notifier.ts";
import { AppSender, RobotSender } from "./senders.ts";
import type { Recipients, SenderOptions, WeComSender } from "./senders.ts";

/** The default WeCom API. */
export const DEFAULT_API_BASE = "https://qyapi.weixin.qq.com";

/** The WeCom settings of the sidecar. */
export interface WeComEnv {
  /** Present when the callback is configured. */
  callback?: { secrets: CallbackSecrets; agentId?: number };
  /** Present when the application message API is configured. */
  app?: { corpId: string; corpSecret: string; agentId: number };
  robotWebhook?: string;
  apiBase: string;
  lang: Lang;
  to: Recipients;
}

type Env = Record<string, string | undefined>;

function allOrNone(env: Env, names: string[], what: string): boolean {
  const missing = names.filter((n) => !env[n]);
  if (missing.length === names.length) return false;
  if (missing.length > 0) throw new Error(`${what} needs ${missing.join(", ")} as well`);
  return true;
}

function httpUrl(env: Env, name: string): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`${name} must be an http(s) URL`);
  return value;
}

function agentId(env: Env): number | undefined {
  const value = env.AISRE_WECOM_AGENT_ID;
  if (!value) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1)
    throw new Error("AISRE_WECOM_AGENT_ID must be a positive integer");
  return Number(value);
}

/** Reads and checks the WeCom settings; throws on a partial or invalid configuration. */
export function loadWeComEnv(env: Env = process.env): WeComEnv {
  const config: WeComEnv = {
    apiBase: httpUrl(env, "AISRE_WECOM_API_BASE") ?? DEFAULT_API_BASE,
    lang: env.AISRE_WECOM_LANG === "en" ? "en" : "zh",
    to: {},
  };
  if (env.AISRE_WECOM_TO_USER) config.to.toUser = env.AISRE_WECOM_TO_USER;
  if (env.AISRE_WECOM_TO_PARTY) config.to.toParty = env.AISRE_WECOM_TO_PARTY;
  const id = agentId(env);
  // The CorpID is shared with the app API, so it alone does not switch the callback on.
  const callbackVars = ["AISRE_WECOM_TOKEN", "AISRE_WECOM_ENCODING_AES_KEY"];
  if (allOrNone(env, callbackVars, "the WeCom callback")) {
    if (!env.AISRE_WECOM_CORP_ID) throw new Error("the WeCom callback needs AISRE_WECOM_CORP_ID as well");
    assertEncodingAESKey(env.AISRE_WECOM_ENCODING_AES_KEY as string);
    const secrets = {
      token: env.AISRE_WECOM_TOKEN as string,
      encodingAESKey: env.AISRE_WECOM_ENCODING_AES_KEY as string,
      corpId: env.AISRE_WECOM_CORP_ID as string,
    };
    config.callback = id === undefined ? { secrets } : { secrets, agentId: id };
  }
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
