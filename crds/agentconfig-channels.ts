/**
 * The robot-webhook chat channels of AgentConfig spec.notifications beside WeCom: DingTalk (钉钉),
 * Feishu/Lark (飞书) and Slack. Webhook URLs and signing secrets are Secret references only:
 * the URL alone grants posting to the group, so it never sits inline in a custom resource.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { SecretKeyRef } from "./common.ts";
import { Str, StrEnum, SetOf } from "./schema.ts";

const Lang = (fallback: "zh" | "en") =>
  Type.Optional(
    StrEnum(["zh", "en"] as const, { description: `Language of the messages (default ${fallback}).` }),
  );

/** A DingTalk custom robot (自定义机器人), optionally with the 加签 (signing) security setting. */
export const DingTalkConfig = Type.Object(
  {
    webhookSecretRef: SecretKeyRef(
      "The Secret key holding the robot's webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…).",
    ),
    signSecretRef: Type.Optional(
      SecretKeyRef("The Secret key holding the robot's signing secret (SEC…), when 加签 is on."),
    ),
    atMobiles: Type.Optional(
      SetOf(Str(32, { minLength: 1 }), 20, { description: "Mobile numbers to @-mention." }),
    ),
    atUserIds: Type.Optional(
      SetOf(Str(64, { minLength: 1 }), 20, { description: "DingTalk user ids to @-mention." }),
    ),
    atAll: Type.Optional(Type.Boolean({ description: "@-mention everyone in the group." })),
    lang: Lang("zh"),
  },
  { description: "DingTalk robot notifications." },
);
export type DingTalkConfig = Static<typeof DingTalkConfig>;

/** A Feishu/Lark custom bot (自定义机器人), optionally with signature verification (签名校验). */
export const FeishuConfig = Type.Object(
  {
    webhookSecretRef: SecretKeyRef(
      "The Secret key holding the bot's webhook URL (https://open.feishu.cn/open-apis/bot/v2/hook/… or open.larksuite.com).",
    ),
    signSecretRef: Type.Optional(
      SecretKeyRef("The Secret key holding the bot's signing secret, when signature verification is on."),
    ),
    atUserIds: Type.Optional(
      SetOf(Str(64, { minLength: 1 }), 20, { description: "Open ids (ou_…) to @-mention." }),
    ),
    atAll: Type.Optional(Type.Boolean({ description: "@-mention everyone in the group." })),
    lang: Lang("zh"),
  },
  { description: "Feishu/Lark bot notifications." },
);
export type FeishuConfig = Static<typeof FeishuConfig>;

/** A Slack incoming webhook (its URL is the only credential Slack gives it). */
export const SlackConfig = Type.Object(
  {
    webhookSecretRef: SecretKeyRef(
      "The Secret key holding the incoming webhook URL (https://hooks.slack.com/services/…).",
    ),
    lang: Lang("en"),
  },
  { description: "Slack incoming webhook notifications." },
);
export type SlackConfig = Static<typeof SlackConfig>;
