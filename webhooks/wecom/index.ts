/**
 * WeCom (企业微信) for the sidecar: the inbound callback plugin and its configuration. See
 * plugin.ts for the routes and callback-env.ts for the environment. Sending (the notifier, the
 * senders, the texts) is notify/wecom/'s.
 */
export { wecomPlugin } from "./plugin.ts";
export type { WeComPluginOptions } from "./plugin.ts";
export { loadWeComCallbackEnv, loadWeComSidecarEnv } from "./callback-env.ts";
export type { WeComCallbackEnv, WeComSidecarEnv } from "./callback-env.ts";
export { staticApprovers } from "./approvals.ts";
export type { ApproverSource } from "./approvals.ts";
export { kubeApprovers } from "./approvers-kube.ts";
