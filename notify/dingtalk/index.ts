/** DingTalk (钉钉) custom robot notifications: signing, the poster, the provider for spec.notifications.dingtalk. */
export { DINGTALK_MAX_SKEW_MS, dingtalkSign, signedUrl } from "./sign.ts";
export { dingtalkBody, dingtalkPoster, judgeDingTalk } from "./robot.ts";
export type { DingTalkAt, DingTalkRobotOptions } from "./robot.ts";
export { dingtalkProvider } from "./provider.ts";
export type { DingTalkProviderOptions } from "./provider.ts";
