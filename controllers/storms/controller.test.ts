import { describe, expect, it } from "vitest";
import { groupStorms } from "../../agents/storms/index.ts";
import { groupStatus } from "./controller.ts";

describe("groupStatus", () => {
  it("makes the earliest primary with the count, the others members", () => {
    const [group] = groupStorms(
      ["a", "b", "c"].map((name, i) => ({
        name,
        namespace: "shop",
        agentConfig: "default",
        key: "dependency:Service/shop/orders-db",
        startedAt: 1000 * i,
        alertname: "KubePodCrashLooping",
        workload: `api-${name}`,
      })),
      300_000,
    );
    expect(groupStatus(group!, "a")).toEqual({
      key: "dependency:Service/shop/orders-db",
      primary: "a",
      role: "Primary",
      size: 3,
      summary:
        "3 alerts, one root cause: orders-db (KubePodCrashLooping (api-a), KubePodCrashLooping (api-b), KubePodCrashLooping (api-c))",
    });
    expect(groupStatus(group!, "c")).toEqual({
      key: "dependency:Service/shop/orders-db",
      primary: "a",
      role: "Member",
      size: 3,
    });
  });
});
