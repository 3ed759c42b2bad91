import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loggerOptions } from "./logger.ts";

describe("log lines are redacted", () => {
  const dir = mkdtempSync(join(tmpdir(), "aisre-logger-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("masks secrets in msg, string fields and errors, and keeps each line JSON", () => {
    const file = join(dir, "out.log");
    // createLogger's options, to a file instead of stderr.
    const log = pino(loggerOptions("test", "info"), pino.destination({ dest: file, sync: true }));
    log.info(
      { url: "postgres://app:Sup3rS3cret!@db:5432/orders" },
      "dialing with --db-password Sup3rS3cret!",
    );
    log.warn({ err: new Error("auth failed: Authorization: Bearer abcdefghijklmnop1234567890") }, "failed");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first!.url).toBe("postgres://app:***@db:5432/orders");
    expect(first!.msg).toBe("dialing with --db-password ***");
    expect(JSON.stringify(second)).not.toContain("abcdefghijklmnop1234567890");
    expect(lines.join("\n")).not.toContain("Sup3rS3cret");
  });
});
