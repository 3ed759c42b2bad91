/**
 * DingTalk from an AgentConfig's spec.notifications.dingtalk: the webhook URL and the optional
 * signing secret from Secrets in the AgentConfig's namespace (read when a task notifies),
 * mentions and language from the spec.
 */
import type { AgentConfig } from "../../crds/index.ts";
import type { Logger } from "../log.ts";
import { NotificationConfigError, requireSecret } from "../routing.ts";
import type { ChannelProvider } from "../routing.ts";
import { RobotChannel, requireWebhookUrl } from "../templates/robot-channel.ts";
import type { RetryOptions } from "../templates/webhook.ts";
import { dingtalkPoster } from "./robot.ts";

/** What every namespace's DingTalk channel shares. */
export interface DingTalkProviderOptions {
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

/** The ChannelProvider for spec.notifications.dingtalk. */
export function dingtalkProvider(options: DingTalkProviderOptions): ChannelProvider {
  return {
    name: "dingtalk",
    configured: (config: AgentConfig) => config.spec.notifications?.dingtalk !== undefined,
    async channelFor(config, secrets) {
      const spec = config.spec.notifications?.dingtalk;
      if (!spec) throw new NotificationConfigError("spec.notifications.dingtalk is not set");
      const field = "spec.notifications.dingtalk";
      const namespace = config.metadata.namespace ?? "";
      const webhook = await requireWebhookUrl(
        secrets,
        namespace,
        spec.webhookSecretRef,
        `${field}.webhookSecretRef`,
      );
      const secret = spec.signSecretRef
        ? await requireSecret(secrets, namespace, spec.signSecretRef, `${field}.signSecretRef`)
        : undefined;
      const post = dingtalkPoster({
        webhook,
        secret,
        at: { atMobiles: spec.atMobiles, atUserIds: spec.atUserIds, isAtAll: spec.atAll },
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
      });
      return new RobotChannel({ name: "dingtalk", lang: spec.lang ?? "zh", logger: options.logger, post });
    },
  };
}
