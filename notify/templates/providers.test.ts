import { describe, expect, it } from "vitest";
import { pino } from "pino";
import type { AgentConfig } from "../../crds/index.ts";
import { dingtalkProvider } from "../dingtalk/provider.ts";
import { feishuProvider } from "../feishu/provider.ts";
import { slackProvider } from "../slack/provider.ts";
import { startSlackStandIn } from "../slack/testing.ts";
import { NotificationConfigError, NotificationRouter } from "../routing.ts";
import type { SecretReader } from "../routing.ts";
import { sampleNotification } from "./testing.ts";

const logger = pino({ level: "silent" });
const config = (notifications: object): AgentConfig =>
  ({ metadata: { name: "default", namespace: "shop" }, spec: { notifications } }) as unknown as AgentConfig;
const reader =
  (values: Record<string, string>): SecretReader =>
  async (namespace, ref) =>
    values[`${namespace}/${ref.name}/${ref.key}`];
const ref = (key: string) => ({ name: "chat", key });

describe("robot channel providers", () => {
  const providers = [dingtalkProvider({ logger }), feishuProvider({ logger }), slackProvider({ logger })];

  it("are configured by their own section only", () => {
    const c = config({ feishu: { webhookSecretRef: ref("f") } });
    expect(providers.map((p) => p.configured(c))).toEqual([false, true, false]);
  });

  it.each([
    [
      "dingtalk",
      { dingtalk: { webhookSecretRef: ref("d"), signSecretRef: ref("missing") } },
      /signSecretRef: Secret shop\/chat has no key missing/,
    ],
    [
      "feishu",
      { feishu: { webhookSecretRef: ref("missing") } },
      /webhookSecretRef: Secret shop\/chat has no key missing/,
    ],
    [
      "slack",
      { slack: { webhookSecretRef: ref("notaurl") } },
      /webhookSecretRef: Secret shop\/chat key notaurl is not an http\(s\) URL/,
    ],
  ])(
    "%s: a missing or malformed Secret is a NotificationConfigError naming the reference, not the value",
    async (name, spec, message) => {
      const provider = providers.find((p) => p.name === name)!;
      const secrets = reader({
        "shop/chat/d": "https://oapi.dingtalk.com/robot/send?access_token=t0k",
        "shop/chat/notaurl": "xoxb-secret-value",
      });
      const err = (await provider.channelFor(config(spec), secrets).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(NotificationConfigError);
      expect(err!.message).toMatch(message);
      expect(err!.message).not.toContain("xoxb-secret-value");
    },
  );

  it("route a namespace's notification to its Slack hook; a refusal is false, never a throw", async () => {
    const api = await startSlackStandIn();
    try {
      const url = api.hook("T1", "B1", "hooksecret");
      const router = new NotificationRouter({
        providers: [slackProvider({ logger, retry: { baseDelayMs: 1 } })],
        secrets: reader({ "shop/chat/s": url, "shop/chat/gone": `${api.url}/services/T1/B1/gone` }),
        logger,
      });
      const ok = await router.send(
        sampleNotification("Diagnosed"),
        config({ slack: { webhookSecretRef: ref("s") } }),
      );
      expect(ok).toMatchObject({ sent: true, route: { source: "AgentConfig", agentConfig: "shop/default" } });
      expect(api.posts.at(-1)!.status).toBe(200);
      const gone = await router.send(
        sampleNotification("Diagnosed"),
        config({ slack: { webhookSecretRef: ref("gone") } }),
      );
      expect(gone.sent).toBe(false);
      expect(api.posts.at(-1)!.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
