import { describe, expect, it } from "vitest";
import { ContainerLogs } from "./container-logs.ts";

const SECRET = "password=Sup3rS3cretValue!";

describe("ContainerLogs", () => {
  it("keeps the running and the previous run apart, and redacts what it is given or added", () => {
    const logs = new ContainerLogs({ "shop/api-1/app": `started; ${SECRET}` });
    logs.add({ "shop/api-1/app:previous": `panic: ${SECRET}` });
    const now = logs.get("shop", "api-1", "app");
    const before = logs.get("shop", "api-1", "app", true);
    expect(now).toMatch(/^started; /);
    expect(before).toMatch(/^panic: /);
    expect(`${now} ${before}`).not.toContain("Sup3rS3cretValue");
    expect(logs.get("shop", "api-2", "app")).toBeUndefined();
  });
});
