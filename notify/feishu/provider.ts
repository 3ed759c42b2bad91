/**
 * Feishu/Lark from an AgentConfig's spec.notifications.feishu: the webhook URL and the optional
 * signing secret from Secrets in the AgentConfig's namespace (read when a task notifies),
 * mentions and language from the spec.
 */
import type { AgentConfig } from "../../crds/index.ts";
import type { Logger } from "../log.ts";
import { NotificationConfigError, requireSecret } from "../routing.ts";
import type { ChannelProvider } from "../routing.ts";
import { RobotChannel, requireWebhookUrl } from "../templates/robot-channel.ts";
import type { RetryOptions } from "../templates/webhook.ts";
import { feishuPoster } from "./bot.ts";

/** What every namespace's Feishu channel shares. */
export interface FeishuProviderOptions {
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

/** The ChannelProvider for spec.notifications.feishu. */
export function feishuProvider(options: FeishuProviderOptions): ChannelProvider {
  return {
    name: "feishu",
    configured: (config: AgentConfig) => config.spec.notifications?.feishu !== undefined,
    async channelFor(config, secrets) {
      const spec = config.spec.notifications?.feishu;
      if (!spec) throw new NotificationConfigError("spec.notifications.feishu is not set");
      const field = "spec.notifications.feishu";
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
      const lang = spec.lang ?? "zh";
      const post = feishuPoster({
        webhook,
        secret,
        lang,
        at: { userIds: spec.atUserIds, all: spec.atAll },
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
      });
      return new RobotChannel({ name: "feishu", lang, logger: options.logger, post });
    },
  };
}
