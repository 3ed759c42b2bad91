/**
 * The sidecar's WeCom callback settings from the environment:
 *   AISRE_WECOM_TOKEN, AISRE_WECOM_ENCODING_AES_KEY, AISRE_WECOM_CORP_ID   the callback (all or none)
 *   AISRE_WECOM_AGENT_ID          when set, messages for another application are refused
 * The sending settings (app API, robot, recipients, language) are notify/wecom/config.ts's.
 * Errors name the variables, never their values.
 */
import { agentIdFromEnv, allOrNone, loadWeComEnv } from "../../notify/wecom/config.ts";
import type { Env, WeComEnv } from "../../notify/wecom/config.ts";
import { assertEncodingAESKey } from "./callback-crypto.ts";
import type { CallbackSecrets } from "./callback-crypto.ts";

/** The callback settings. */
export interface WeComCallbackEnv {
  secrets: CallbackSecrets;
  agentId?: number;
}

/** The sidecar's WeCom settings: the callback when configured, and the sending settings. */
export interface WeComSidecarEnv extends WeComEnv {
  callback?: WeComCallbackEnv;
}

/** Reads and checks the callback settings; undefined when none is set, throws on a partial one. */
export function loadWeComCallbackEnv(env: Env = process.env): WeComCallbackEnv | undefined {
  const id = agentIdFromEnv(env);
  // The CorpID is shared with the app API, so it alone does not switch the callback on.
  const callbackVars = ["AISRE_WECOM_TOKEN", "AISRE_WECOM_ENCODING_AES_KEY"];
  if (!allOrNone(env, callbackVars, "the WeCom callback")) return undefined;
  if (!env.AISRE_WECOM_CORP_ID) throw new Error("the WeCom callback needs AISRE_WECOM_CORP_ID as well");
  assertEncodingAESKey(env.AISRE_WECOM_ENCODING_AES_KEY as string);
  const secrets = {
    token: env.AISRE_WECOM_TOKEN as string,
    encodingAESKey: env.AISRE_WECOM_ENCODING_AES_KEY as string,
    corpId: env.AISRE_WECOM_CORP_ID as string,
  };
  return id === undefined ? { secrets } : { secrets, agentId: id };
}

/** Reads and checks every WeCom setting of the sidecar; throws on a partial or invalid one. */
export function loadWeComSidecarEnv(env: Env = process.env): WeComSidecarEnv {
  const callback = loadWeComCallbackEnv(env);
  const sending = loadWeComEnv(env);
  return callback ? { ...sending, callback } : sending;
}
