/**
 * Notifications: the channel interface, the one table from task phase to notification, the
 * routing from a task's AgentConfig spec.notifications (or the operator-wide default) to
 * channels, and the safe views every message is built with (redacted by redact/). Channels live in
 * one folder each (wecom/).
 */
export type { Lang, Notification, NotificationChannel, NotificationKind, Recipients } from "./channel.ts";
export { PHASE_NOTIFICATIONS, SETTLED_PHASES, notificationFor } from "./events.ts";
export type { Logger } from "./log.ts";
export { NotificationConfigError, NotificationRouter, kubeSecretReader, requireSecret } from "./routing.ts";
export type {
  ChannelProvider,
  NotificationRouterOptions,
  Route,
  SecretKey,
  SecretReader,
  SendResult,
} from "./routing.ts";
export { looksLikeLogLine, planView, refOf, safeText, targetText, taskView } from "./views.ts";
export type { PlanView, TaskView } from "./views.ts";
