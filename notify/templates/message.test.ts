import { describe, expect, it } from "vitest";
import type { NotificationKind } from "../channel.ts";
import { chatMessage, plainText } from "./message.ts";
import { sampleNotification } from "./testing.ts";

const KINDS: NotificationKind[] = ["IncidentOpened", "Diagnosed", "AwaitingApproval", "Remediated", "Failed"];

describe("chatMessage", () => {
  it.each(KINDS)("%s has a title, a tone and the task in both languages", (kind) => {
    for (const lang of ["zh", "en"] as const) {
      const m = chatMessage(sampleNotification(kind), lang);
      expect(m.title.length).toBeGreaterThan(0);
      expect(m.lines[0]).toContain("shop/checkout-slow");
    }
    const zh = plainText(chatMessage(sampleNotification(kind), "zh"));
    const en = plainText(chatMessage(sampleNotification(kind), "en"));
    expect(zh).not.toBe(en);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("says how to approve with the CLI when a plan awaits approval", () => {
    const m = chatMessage(sampleNotification("AwaitingApproval"), "zh");
    expect(m).toMatchObject({ title: "修复方案待审批", tone: "warning" });
    expect(plainText(m)).toContain("批准：kubectl aisre approve checkout-slow-plan -n shop");
    expect(plainText(m)).toContain("根因：memory limit too low: OOMKilled 5 times（置信度 82%）");
  });

  it("titles a resolved task Resolved and a failed one with its note", () => {
    expect(chatMessage(sampleNotification("Remediated"), "en").title).toBe("Resolved");
    expect(plainText(chatMessage(sampleNotification("Failed"), "en"))).toContain(
      "Note: the diagnosis timed out",
    );
  });

  it("redacts secrets, drops log lines and neutralizes markup in task text", () => {
    const n = sampleNotification(
      "IncidentOpened",
      "token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 [click](http://evil) <b>\n2026-12-06T10:00:00Z ERROR raw line",
    );
    const text = plainText(chatMessage(n, "en"));
    expect(text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(text).not.toContain("raw line");
    expect(text).not.toMatch(/\[click\]\(|<b>/);
  });
});
