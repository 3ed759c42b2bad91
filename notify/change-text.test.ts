// rootCause.change in chat text: "Since ConfigMap shop/api-config changed at 07:41 UTC" before
// the root cause, in English and Chinese, on WeCom and the robot channels; redacted and flat.
import { describe, expect, it } from "vitest";
import type { SreTask } from "../crds/index.ts";
import { typeMeta } from "../crds/index.ts";
import { chatMessage, plainText } from "./templates/message.ts";
import { changeView } from "./views.ts";
import { renderNotification } from "./wecom/templates.ts";

function task(what: string): SreTask {
  return {
    ...typeMeta("SreTask"),
    metadata: { namespace: "shop", name: "api-crash" },
    spec: { source: "Alertmanager", target: { kind: "Deployment", namespace: "shop", name: "api" } },
    status: {
      phase: "Diagnosed",
      rootCause: {
        category: "CrashLoop",
        resource: { kind: "Deployment", namespace: "shop", name: "api" },
        summary: "api exits with code 1 on invalid config",
        confidence: 0.9,
        change: {
          kind: "ConfigMap",
          namespace: "shop",
          name: "api-config",
          at: "2026-11-20T07:41:00Z",
          what,
        },
      },
    },
  } as SreTask;
}

const event = (what = "data changed 2 min before the first crash") => ({
  kind: "Diagnosed" as const,
  task: task(what),
});

/** The line index of the first line containing each text, in one rendered message. */
function order(text: string, ...parts: string[]): number[] {
  const lines = text.split("\n");
  return parts.map((p) => lines.findIndex((l) => l.includes(p)));
}

describe("the change in notifications", () => {
  it("comes first, before the root cause, on WeCom in English and Chinese", () => {
    const en = renderNotification(event(), "en");
    expect(en).toContain(
      "Since ConfigMap shop/api-config changed at 07:41 UTC (data changed 2 min before the first crash)",
    );
    const [since, root] = order(en, "Since ConfigMap", "Root cause:");
    expect(since).toBeGreaterThan(-1);
    expect(since).toBe(root! - 1);
    const zh = renderNotification(event(), "zh");
    expect(zh).toContain("起因：ConfigMap shop/api-config 于 07:41 UTC 变更之后开始故障");
    const [zSince, zRoot] = order(zh, "起因：", "根因：");
    expect(zSince).toBe(zRoot! - 1);
  });

  it("comes first on the robot channels (DingTalk, Feishu, Slack)", () => {
    for (const [lang, since, root] of [
      ["en", "Since ConfigMap shop/api-config changed at 07:41 UTC", "Root cause:"],
      ["zh", "起因：ConfigMap shop/api-config 于 07:41 UTC", "根因："],
    ] as const) {
      const text = plainText(chatMessage(event(), lang));
      const [s, r] = order(text, since, root);
      expect(s, `${lang}: ${text}`).toBeGreaterThan(-1);
      expect(s).toBe(r! - 1);
    }
  });

  it("never carries a secret or markup from the change's text", () => {
    const text = renderNotification(
      event("env changed password=hunter2-Secret-Value [x](http://evil)"),
      "en",
    );
    expect(text).not.toContain("hunter2-Secret-Value");
    expect(text).not.toContain("[x](http://evil)");
  });

  it("is left out when the time is unreadable", () => {
    expect(changeView({ kind: "ConfigMap", name: "c", at: "yesterday" })).toBeUndefined();
    expect(renderNotification({ kind: "Diagnosed", task: task("x") }, "en")).toContain("Since");
  });
});
