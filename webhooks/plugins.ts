/**
 * The extra channels the CLI plugs into the sidecar. WeCom (webhooks/wecom/) turns on when its
 * callback variables are set; its own loader checks them and names any that are missing.
 */
import { kubeApprovers } from "./wecom/approvers-kube.ts";
import { createNotifier } from "../notify/wecom/config.ts";
import { loadWeComSidecarEnv } from "./wecom/callback-env.ts";
import { wecomPlugin } from "./wecom/plugin.ts";
import { chatReads, kubeChatIdentities } from "./wecom/read-access.ts";
import { KubeAuthorizer } from "./auth/kube-auth.ts";
import type { SidecarPlugin } from "./server.ts";

/** The WeCom plugin configured from env, or undefined when the WeCom callback is not configured. */
export function wecomFromEnv(env: NodeJS.ProcessEnv = process.env): SidecarPlugin | undefined {
  const wecom = loadWeComSidecarEnv(env);
  if (!wecom.callback) return undefined;
  const callback = wecom.callback;
  return async (app, ctx) => {
    const logger = ctx.logger.child({ component: "wecom" });
    const notifier = createNotifier(wecom, logger);
    await wecomPlugin(app, {
      secrets: callback.secrets,
      ...(callback.agentId === undefined ? {} : { agentId: callback.agentId }),
      gateway: ctx.gateway,
      approvers: kubeApprovers(ctx.kube.client),
      // Reads are decided for the Kubernetes identity cluster policy maps each WeCom user to.
      reads: chatReads(
        kubeChatIdentities(ctx.kube.client, ctx.config.namespace),
        new KubeAuthorizer(ctx.kube.authn, ctx.kube.authz, ctx.config.authCacheSeconds, logger),
      ),
      ...(notifier ? { notifier } : {}),
      namespace: ctx.config.namespace,
      lang: wecom.lang,
    });
    logger.info({ notifications: notifier?.mode ?? "off" }, "Registered the WeCom callback");
  };
}
