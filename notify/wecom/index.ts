/**
 * WeCom (企业微信), the first notification channel: the notifier (a NotificationChannel, also
 * used by the sidecar for chat follow-ups), its senders (application API, group robot), the
 * operator-wide settings from the environment, the provider for AgentConfig
 * spec.notifications.wecom, and the zh/en texts.
 */
export { DEFAULT_API_BASE, createNotifier, createSender, loadWeComEnv } from "./config.ts";
export type { WeComEnv } from "./config.ts";
export { WeComNotifier, wecomRecipients } from "./notifier.ts";
export type { NotifierOptions } from "./notifier.ts";
export { wecomProvider } from "./provider.ts";
export type { WeComProviderOptions } from "./provider.ts";
export { AppSender, RobotSender } from "./senders.ts";
export type { Recipients, WeComSender } from "./senders.ts";
export { stringsFor } from "./strings.ts";
export type { CommandName, Strings } from "./strings.ts";
export { renderNotification } from "./templates.ts";
export { WeComApiError, truncateBytes } from "./wecom-api.ts";
