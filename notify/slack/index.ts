/** Slack incoming webhook notifications: the Block Kit body, the poster, the provider for spec.notifications.slack. */
export { escapeMrkdwn, judgeSlack, slackBody, slackPoster } from "./webhook.ts";
export type { SlackWebhookOptions } from "./webhook.ts";
export { slackProvider } from "./provider.ts";
export type { SlackProviderOptions } from "./provider.ts";
