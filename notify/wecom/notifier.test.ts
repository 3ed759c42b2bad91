import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { typeMeta } from "../../crds/index.ts";
import { WeComNotifier } from "./notifier.ts";
import type { Recipients, WeComSender } from "./senders.ts";
import { WeComApiError } from "./wecom-api.ts";

class FakeSender implements WeComSender {
  readonly sent: { content: string; to?: Recipients }[] = [];
  fail = false;
  readonly mode: "app" | "robot";
  constructor(mode: "app" | "robot") {
    this.mode = mode;
  }
  async sendMarkdown(content: string, to?: Recipients): Promise<void> {
    if (this.fail)
      throw new WeComApiError(
        "qyapi/cgi-bin/message/send",
        60020,
        "errcode 60020: not allow to access from your ip",
      );
    this.sent.push(to ? { content, to } : { content });
  }
}

const task: SreTask = {
  ...typeMeta("SreTask"),
  metadata: { namespace: "shop", name: "am-1" },
  spec: { source: "Alertmanager", description: "KubePodCrashLooping checkout" },
};
const logger = pino({ level: "silent" });

describe("WeComNotifier", () => {
  it("sends an incident notification to the configured recipients in the configured language", async () => {
    const sender = new FakeSender("app");
    const notifier = new WeComNotifier({ sender, logger, lang: "en", to: { toParty: "3" } });
    expect(await notifier.notify({ kind: "IncidentOpened", task })).toBe(true);
    expect(sender.sent[0]?.to).toEqual({ toParty: "3" });
    expect(sender.sent[0]?.content).toContain("Incident opened");
    expect(await notifier.notify({ kind: "IncidentOpened", task }, { lang: "zh", to: { toUser: "u" } })).toBe(
      true,
    );
    expect(sender.sent[1]?.content).toContain("新事件");
  });

  it("skips app notifications without recipients and reports failures as false", async () => {
    const sender = new FakeSender("app");
    const notifier = new WeComNotifier({ sender, logger });
    expect(await notifier.notify({ kind: "Diagnosed", task })).toBe(false);
    sender.fail = true;
    expect(await notifier.notify({ kind: "Diagnosed", task }, { to: { toUser: "u" } })).toBe(false);
    expect(sender.sent).toEqual([]);
  });

  it("needs no recipients with a robot, and redacts direct messages", async () => {
    const sender = new FakeSender("robot");
    const notifier = new WeComNotifier({ sender, logger });
    expect(await notifier.notify({ kind: "Failed", task })).toBe(true);
    expect(await notifier.sendToUser("zhangsan", "done, password=hunter2")).toBe(true);
    expect(sender.sent[1]).toEqual({ content: "done, password=***", to: { toUser: "zhangsan" } });
  });
});
