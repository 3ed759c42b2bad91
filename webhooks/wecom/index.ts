/**
 * WeCom (企业微信) for the sidecar: the callback plugin, the notification client and their
 * configuration. See plugin.ts for the routes and config.ts for the environment.
 */
export { wecomPlugin } from "./plugin.ts";
export type { WeComPluginOptions } from "./plugin.ts";
export { DEFAULT_API_BASE, createNotifier, createSender, loadWeComEnv } from "./config.ts";
export type { WeComEnv } from "./config.ts";
export { WeComNotifier } from "./notifier.ts";
export type { NotifierOptions } from "./notifier.ts";
export { AppSender, RobotSender } from "./senders.ts";
export type { Recipients, WeComSender } from "./senders.ts";
export { staticApprovers } from "./approvals.ts";
export type { ApproverSource } from "./approvals.ts";
export { kubeApprovers } from "./approvers-kube.ts";
export { eventForTask, renderNotification } from "./templates.ts";
export type { TaskEvent, TaskEventKind } from "./templates.ts";
