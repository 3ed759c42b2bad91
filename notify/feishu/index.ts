/** Feishu/Lark (飞书) custom bot notifications: signing, the poster, the provider for spec.notifications.feishu. */
export { FEISHU_MAX_SKEW_SECONDS, feishuSign, signature } from "./sign.ts";
export { feishuBody, feishuPoster, judgeFeishu } from "./bot.ts";
export type { FeishuAt, FeishuBotOptions } from "./bot.ts";
export { feishuProvider } from "./provider.ts";
export type { FeishuProviderOptions } from "./provider.ts";
