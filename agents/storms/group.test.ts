import { describe, expect, it } from "vitest";
import type { StormCandidate } from "./group.ts";
import { groupsByTask, groupStorms } from "./group.ts";
import { alertList, groupSummary } from "./summary.ts";

const T0 = Date.parse("2026-12-07T01:00:00Z");
const c = (name: string, sec: number, over: Partial<StormCandidate> = {}): StormCandidate => ({
  name,
  namespace: "shop",
  agentConfig: "default",
  key: "dependency:Service/shop/orders-db",
  startedAt: T0 + sec * 1000,
  alertname: `Alert${name}`,
  ...over,
});

describe("groupStorms", () => {
  it("makes the earliest task primary and the rest of the window members, whatever the input order", () => {
    const tasks = [c("c", 20), c("a", 0), c("b", 10), c("d", 299)];
    for (const order of [tasks, [...tasks].reverse()]) {
      const groups = groupStorms(order, 300_000);
      expect(groups).toHaveLength(1);
      expect(groups[0]!.primary.name).toBe("a");
      expect(groups[0]!.members.map((m) => m.name)).toEqual(["b", "c", "d"]);
      expect(groups[0]!.size).toBe(4);
    }
  });

  it("breaks ties by name and opens the next group after the window", () => {
    const groups = groupStorms([c("b", 0), c("a", 0), c("late", 301)], 300_000);
    expect(groups.map((g) => [g.primary.name, g.size])).toEqual([
      ["a", 2],
      ["late", 1],
    ]);
    expect(groupsByTask(groups).get("shop/b")!.primary.name).toBe("a");
    expect(groupsByTask(groups).get("other/b")).toBeUndefined();
  });

  it("never mixes keys, namespaces or AgentConfigs: a node storm is one group per namespace", () => {
    const node = "node:worker-3";
    const groups = groupStorms(
      [
        c("a", 0, { key: node }),
        c("b", 1, { key: node, namespace: "tenant-b" }),
        c("c", 2, { key: node }),
        c("d", 3),
        c("e", 4, { agentConfig: "other" }),
      ],
      300_000,
    );
    expect(groups.map((g) => `${g.namespace}:${g.agentConfig}:${g.key}:${g.size}`).sort()).toEqual([
      "shop:default:dependency:Service/shop/orders-db:1",
      "shop:default:node:worker-3:2",
      "shop:other:dependency:Service/shop/orders-db:1",
      "tenant-b:default:node:worker-3:1",
    ]);
  });
});

describe("group text", () => {
  it("counts the alerts and lists the first few in English and Chinese", () => {
    const [group] = groupStorms(
      Array.from({ length: 8 }, (_, i) => c(`t${i}`, i, { workload: `shop/Deployment/w${i}` })),
      300_000,
    );
    expect(groupSummary(group!)).toBe("8 alerts, one root cause: orders-db");
    expect(groupSummary(group!, "zh")).toBe("8 条告警，同一根因：orders-db");
    expect(alertList(group!)).toBe(
      "Alertt0 (shop/Deployment/w0), Alertt1 (shop/Deployment/w1), Alertt2 (shop/Deployment/w2), " +
        "Alertt3 (shop/Deployment/w3), Alertt4 (shop/Deployment/w4), and 3 more",
    );
    expect(alertList(group!, "zh", 2)).toBe(
      "Alertt0 (shop/Deployment/w0), Alertt1 (shop/Deployment/w1), 另有 6 条",
    );
  });
});
