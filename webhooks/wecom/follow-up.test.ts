import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { FollowUps } from "./follow-up.ts";
import { WeComNotifier } from "../../notify/wecom/notifier.ts";
import type { Recipients, WeComSender } from "../../notify/wecom/senders.ts";
import { MemoryGateway } from "./testing.ts";

class FakeSender implements WeComSender {
  readonly mode = "app" as const;
  readonly sent: { content: string; to?: Recipients }[] = [];
  async sendMarkdown(content: string, to?: Recipients): Promise<void> {
    this.sent.push({ content, to });
  }
}
const logger = pino({ level: "silent" });

describe("FollowUps", () => {
  async function setup(options = {}) {
    const gateway = new MemoryGateway();
    const sender = new FakeSender();
    const followUps = new FollowUps(gateway, new WeComNotifier({ sender, logger }), logger, {
      intervalMs: 10,
      timeoutMs: 500,
      ...options,
    });
    const key = await gateway.createTask({
      namespace: "shop",
      description: "x",
      source: "WeCom",
      requestedBy: "u",
    });
    return {
      gateway,
      sender,
      followUps,
      key,
      task: gateway.tasks.get(`${key.namespace}/${key.name}`) as SreTask,
    };
  }

  it("sends the result once the task is diagnosed, then stops", async () => {
    const { sender, followUps, key, task } = await setup();
    expect(followUps.watch(key, "zhangsan", "zh")).toBe(true);
    expect(followUps.active).toBe(1);
    task.status = { phase: "Diagnosed" };
    await expect.poll(() => sender.sent.length).toBe(1);
    expect(sender.sent[0]?.content).toContain("诊断完成");
    expect(sender.sent[0]?.to).toEqual({ toUser: "zhangsan" });
    await expect.poll(() => followUps.active).toBe(0);
  });

  it("says the task is still running when the timeout passes", async () => {
    const { sender, followUps, key } = await setup({ timeoutMs: 40 });
    followUps.watch(key, "zhangsan", "en");
    await expect.poll(() => sender.sent.length).toBe(1);
    expect(sender.sent[0]?.content).toContain(`Task ${key.namespace}/${key.name} is still in progress`);
  });

  it("keeps polling through gateway errors, bounds the watches, and stops on close", async () => {
    const { gateway, sender, followUps, key } = await setup({ maxWatches: 1 });
    gateway.getTask = () => Promise.reject(new Error("apiserver down"));
    expect(followUps.watch(key, "a", "en")).toBe(true);
    expect(followUps.watch(key, "b", "en")).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    followUps.close();
    expect(followUps.active).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(sender.sent).toEqual([]);
  });
});
