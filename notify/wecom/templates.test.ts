import { describe, expect, it } from "vitest";
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { typeMeta } from "../../crds/index.ts";
import type { NotificationKind } from "../channel.ts";
import { looksLikeLogLine, safeText } from "../views.ts";
import { renderNotification } from "./templates.ts";

const task: SreTask = {
  ...typeMeta("SreTask"),
  metadata: { namespace: "shop", name: "wecom-abc" },
  spec: {
    source: "WeCom",
    description: "checkout down, DB password=hunter2 [click](http://evil) <font>",
    target: { kind: "Deployment", namespace: "shop", name: "checkout" },
  },
  status: {
    phase: "AwaitingApproval",
    rootCause: {
      category: "MissingConfig",
      resource: { kind: "ConfigMap", namespace: "shop", name: "checkout" },
      summary:
        "ConfigMap checkout sets DATABASE_URL=postgres://app:s3cret@db:5432/shop which refuses connections",
      confidence: 0.87,
    },
    message: "2024-05-01T10:00:00Z ERROR connection refused token=abc123\nRolled out revision 4",
    remediationPlanRef: { name: "plan-1" },
  },
} as SreTask;

const plan: RemediationPlan = {
  ...typeMeta("RemediationPlan"),
  metadata: { namespace: "shop", name: "plan-1" },
  spec: {
    steps: [
      {
        name: "restart",
        action: "RolloutRestart",
        target: { kind: "Deployment", namespace: "shop", name: "checkout" },
      },
    ],
  },
  status: { phase: "Succeeded", risk: "medium" },
};

const kinds: NotificationKind[] = ["IncidentOpened", "Diagnosed", "AwaitingApproval", "Remediated", "Failed"];

describe("notification templates", () => {
  it.each(
    kinds.flatMap(
      (kind) =>
        [
          [kind, "zh"],
          [kind, "en"],
        ] as const,
    ),
  )("%s in %s has no secret, no log line, no markup from data", (kind, lang) => {
    const text = renderNotification({ kind, task, plan }, lang);
    expect(text).toContain("shop/wecom-abc");
    expect(text).not.toMatch(/hunter2|s3cret|abc123|ERROR connection|2024-05-01/);
    expect(text).not.toContain("[click]");
    expect(text).not.toContain("<font>");
    expect(text.startsWith("### ")).toBe(true);
  });

  it("renders the approval request with the plan and the commands, in each language", () => {
    const zh = renderNotification({ kind: "AwaitingApproval", task, plan }, "zh");
    expect(zh).toContain("修复方案待审批");
    expect(zh).toContain("批准 shop/plan-1");
    expect(zh).toContain("1. RolloutRestart shop/Deployment/checkout");
    expect(zh).toContain("置信度 87%");
    const en = renderNotification({ kind: "AwaitingApproval", task, plan }, "en");
    expect(en).toContain('Reply "approve shop/plan-1"');
    expect(en).toContain("risk: medium");
  });
});

describe("safeText", () => {
  it("drops log lines, flattens, bounds and neutralizes markup", () => {
    expect(looksLikeLogLine('{"level":"error","msg":"x"}')).toBe(true);
    expect(looksLikeLogLine("level=error msg=x")).toBe(true);
    expect(looksLikeLogLine("E0501 10:00:00.000 1 x.go:1] failed")).toBe(true);
    expect(looksLikeLogLine("Back-off restarting failed container")).toBe(false);
    expect(safeText("[INFO] started\nreal sentence")).toBe("real sentence");
    expect(safeText("a <b> [c](d) `e`")).toBe("a ＜b＞ ［c］(d) 'e'");
    expect(safeText("x".repeat(300), 10)).toBe(`${"x".repeat(9)}…`);
    expect(safeText("   ")).toBeUndefined();
  });
});
