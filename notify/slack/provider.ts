/**
 * Slack from an AgentConfig's spec.notifications.slack: the incoming webhook URL from a Secret in
 * the AgentConfig's namespace (read when a task notifies), the language from the spec (default en).
 */
import type { AgentConfig } from "../../crds/index.ts";
import type { Logger } from "../log.ts";
import { NotificationConfigError } from "../routing.ts";
import type { ChannelProvider } from "../routing.ts";
import { RobotChannel, requireWebhookUrl } from "../templates/robot-channel.ts";
import type { RetryOptions } from "../templates/webhook.ts";
import { slackPoster } from "./webhook.ts";

/** What every namespace's Slack channel shares. */
export interface SlackProviderOptions {
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

/** The ChannelProvider for spec.notifications.slack. */
export function slackProvider(options: SlackProviderOptions): ChannelProvider {
  return {
    name: "slack",
    configured: (config: AgentConfig) => config.spec.notifications?.slack !== undefined,
    async channelFor(config, secrets) {
      const spec = config.spec.notifications?.slack;
      if (!spec) throw new NotificationConfigError("spec.notifications.slack is not set");
      const namespace = config.metadata.namespace ?? "";
      const webhook = await requireWebhookUrl(
        secrets,
        namespace,
        spec.webhookSecretRef,
        "spec.notifications.slack.webhookSecretRef",
      );
      const post = slackPoster({
        webhook,
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
      });
      return new RobotChannel({ name: "slack", lang: spec.lang ?? "en", logger: options.logger, post });
    },
  };
}
