import { describe, expect, it } from "vitest";
import type { Database } from "./database.ts";
import { lazyDatabase, openStoreLazily } from "./database.ts";
import { MEMORY_DATA_DIR } from "./pglite.ts";

/** A Database stand-in that counts how often it was opened and closed. */
function counting(failFirst = false) {
  const calls = { opens: 0, closes: 0 };
  const open = async (): Promise<Database> => {
    calls.opens++;
    if (failFirst && calls.opens === 1) throw new Error("connect ECONNREFUSED");
    return {
      kind: "pglite",
      query: async <T>() => [{ one: 1 }] as T[],
      exec: async () => {},
      transaction: (fn) => fn({ query: async <T>() => [] as T[], exec: async () => {} }),
      close: async () => void calls.closes++,
    };
  };
  return { calls, open };
}

describe("lazyDatabase", () => {
  it("opens nothing until the first statement, then once for concurrent statements", async () => {
    const { calls, open } = counting();
    const db = lazyDatabase("pglite", open);
    expect(calls.opens).toBe(0);
    expect(db.isOpen()).toBe(false);
    await Promise.all([db.query("select 1"), db.exec("select 2"), db.transaction(async () => 3)]);
    expect(calls.opens).toBe(1);
    expect(db.isOpen()).toBe(true);
    await db.close();
    expect(calls.closes).toBe(1);
  });

  it("closes without opening when never used", async () => {
    const { calls, open } = counting();
    await lazyDatabase("pglite", open).close();
    expect(calls).toEqual({ opens: 0, closes: 0 });
  });

  it("retries the open on the next statement after a failed one", async () => {
    const { calls, open } = counting(true);
    const db = lazyDatabase("pglite", open);
    await expect(db.query("select 1")).rejects.toThrow(/ECONNREFUSED/);
    expect(db.isOpen()).toBe(false);
    expect(await db.query("select 1")).toEqual([{ one: 1 }]);
    expect(calls.opens).toBe(2);
  });
});

describe("openStoreLazily with embedded PGlite", () => {
  it("starts PGlite and migrates only at the first statement", { timeout: 180_000 }, async () => {
    const before = process.memoryUsage().rss;
    const db = (await openStoreLazily({ dataDir: MEMORY_DATA_DIR })) as Database & { isOpen(): boolean };
    expect(db.kind).toBe("pglite");
    expect(db.isOpen()).toBe(false);
    // Nothing of the WASM runtime was instantiated: far less than its ~128 MiB initial memory.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
    try {
      const rows = await db.query<{ n: number }>("select count(*)::int as n from schema_migrations");
      expect(rows[0]!.n).toBeGreaterThan(0);
      expect(db.isOpen()).toBe(true);
    } finally {
      await db.close();
    }
  });
});
