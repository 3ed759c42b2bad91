/**
 * WeCom from an AgentConfig's spec.notifications.wecom: the application API (corpId, agentId, the
 * secret from appSecretRef, recipients toUser/toParty) or a group robot (the webhook URL from
 * robotWebhookSecretRef; toUser is @-mentioned). Secrets are read when a task notifies; the
 * channel is kept per AgentConfig while its settings and Secret values stay the same, so the
 * application's access token is reused. API base and language are the operator's (environment).
 */
import { createHash } from "node:crypto";
import type { AgentConfig } from "../../crds/index.ts";
import type { Lang, NotificationChannel } from "../channel.ts";
import type { Logger } from "../log.ts";
import { NotificationConfigError, requireSecret } from "../routing.ts";
import type { ChannelProvider, SecretReader } from "../routing.ts";
import { checkHttpUrl, DEFAULT_API_BASE } from "./config.ts";
import { WeComNotifier } from "./notifier.ts";
import { AppSender, RobotSender } from "./senders.ts";
import type { Recipients, WeComSender } from "./senders.ts";

/** What every namespace's WeCom channel shares. */
export interface WeComProviderOptions {
  logger: Logger;
  /** The WeCom API (AISRE_WECOM_API_BASE). Default https://qyapi.weixin.qq.com. */
  apiBase?: string;
  /** The language of notifications (AISRE_WECOM_LANG). Default zh. */
  lang?: Lang;
  fetch?: typeof fetch;
}

type WeComSpec = NonNullable<NonNullable<AgentConfig["spec"]["notifications"]>["wecom"]>;

/** The ChannelProvider for spec.notifications.wecom. */
export function wecomProvider(options: WeComProviderOptions): ChannelProvider {
  const cache = new Map<string, { fingerprint: string; channel: NotificationChannel }>();
  const transport = options.fetch
    ? { logger: options.logger, fetch: options.fetch }
    : { logger: options.logger };

  async function build(spec: WeComSpec, namespace: string, secrets: SecretReader) {
    const field = "spec.notifications.wecom";
    let sender: WeComSender;
    let secret: string;
    if (spec.mode === "app") {
      if (!spec.corpId || !spec.agentId || !spec.appSecretRef)
        throw new NotificationConfigError(`${field}: app mode needs corpId, agentId and appSecretRef`);
      secret = await requireSecret(secrets, namespace, spec.appSecretRef, `${field}.appSecretRef`);
      sender = new AppSender({
        ...transport,
        apiBase: options.apiBase ?? DEFAULT_API_BASE,
        corpId: spec.corpId,
        corpSecret: secret,
        agentId: spec.agentId,
      });
    } else {
      if (!spec.robotWebhookSecretRef)
        throw new NotificationConfigError(`${field}: robot mode needs robotWebhookSecretRef`);
      const ref = spec.robotWebhookSecretRef;
      secret = await requireSecret(secrets, namespace, ref, `${field}.robotWebhookSecretRef`);
      try {
        checkHttpUrl(secret, `Secret ${namespace}/${ref.name} key ${ref.key}`);
      } catch (err) {
        throw new NotificationConfigError(`${field}.robotWebhookSecretRef: ${(err as Error).message}`);
      }
      sender = new RobotSender({ ...transport, webhookUrl: secret });
    }
    const to: Recipients = {};
    if (spec.toUser) to.toUser = spec.toUser;
    if (spec.toParty) to.toParty = spec.toParty;
    const fingerprint = createHash("sha256")
      .update(JSON.stringify(spec))
      .update("\0")
      .update(secret)
      .digest("hex");
    return { sender, to, fingerprint };
  }

  return {
    name: "wecom",
    configured: (config) => config.spec.notifications?.wecom !== undefined,
    async channelFor(config, secrets) {
      const spec = config.spec.notifications?.wecom;
      if (!spec) throw new NotificationConfigError("spec.notifications.wecom is not set");
      const namespace = config.metadata.namespace ?? "";
      const key = `${namespace}/${config.metadata.name ?? ""}`;
      const { sender, to, fingerprint } = await build(spec, namespace, secrets);
      const cached = cache.get(key);
      if (cached?.fingerprint === fingerprint) return cached.channel;
      const channel = new WeComNotifier({ sender, logger: options.logger, lang: options.lang ?? "zh", to });
      cache.set(key, { fingerprint, channel });
      return channel;
    },
  };
}
