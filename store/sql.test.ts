import { describe, expect, it } from "vitest";
import { json, requiredTs, resourceVersion, statement, StoreInputError, ts } from "./sql.ts";
import { decodeCursor, encodeCursor } from "./incident-queries.ts";
import { redactDatabaseUrl, storeOptionsFromEnv, DEFAULT_DATA_DIR } from "./database.ts";

describe("sql parameters", () => {
  it("normalises timestamps to ISO and rejects garbage", () => {
    expect(ts("2026-03-01T08:00:00+08:00")).toBe("2026-03-01T00:00:00.000Z");
    expect(ts(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
    expect(ts(undefined)).toBeNull();
    expect(() => ts("soon")).toThrow(StoreInputError);
    expect(() => requiredTs(undefined, "openedAt")).toThrow(/openedAt is required/);
  });

  it("accepts only decimal resourceVersions", () => {
    expect(resourceVersion("123456")).toBe("123456");
    for (const bad of ["", "12a", "-1", "1.5", "99999999999999999999"]) {
      expect(() => resourceVersion(bad)).toThrow(StoreInputError);
    }
  });

  it("serialises jsonb parameters, keeping null and leaving undefined out", () => {
    expect(json({ a: [1] })).toBe('{"a":[1]}');
    expect(json(null)).toBe("null");
    expect(json(undefined)).toBeNull();
  });
});

describe("incident cursors", () => {
  it("round-trip and reject tampering", () => {
    const id = "0b5e7d8c-7e8f-4a40-9d1e-3d4b0c7f9a11";
    const cursor = encodeCursor(new Date("2026-03-01T08:00:00.123Z"), id);
    expect(decodeCursor(cursor)).toEqual({ openedAt: "2026-03-01T08:00:00.123Z", id });
    expect(() => decodeCursor("bm9wZQ")).toThrow(StoreInputError);
    expect(() => decodeCursor(Buffer.from(JSON.stringify(["x", id])).toString("base64url"))).toThrow(
      StoreInputError,
    );
    expect(() =>
      decodeCursor(
        Buffer.from(JSON.stringify(["2026-03-01T00:00:00Z", "1; DROP TABLE"])).toString("base64url"),
      ),
    ).toThrow(StoreInputError);
  });
});

describe("store options", () => {
  it("use DATABASE_URL when set, else AISRE_DATA_DIR, else the default data dir", () => {
    expect(storeOptionsFromEnv({ DATABASE_URL: "postgres://u:p@db/aisre" })).toEqual({
      databaseUrl: "postgres://u:p@db/aisre",
      preparedStatements: true,
    });
    expect(storeOptionsFromEnv({ DATABASE_URL: " ", AISRE_DATA_DIR: "/var/lib/aisre" })).toEqual({
      dataDir: "/var/lib/aisre",
    });
    expect(storeOptionsFromEnv({})).toEqual({ dataDir: DEFAULT_DATA_DIR });
  });

  it("turn prepared statements off only when AISRE_DB_PREPARED_STATEMENTS says so (old PgBouncer), and refuse a value that is neither", () => {
    const url = "postgres://u@db/aisre";
    for (const off of ["false", "OFF", "0", "no"])
      expect(
        storeOptionsFromEnv({ DATABASE_URL: url, AISRE_DB_PREPARED_STATEMENTS: off }).preparedStatements,
      ).toBe(false);
    for (const on of ["on", "TRUE", "1", "yes", ""])
      expect(
        storeOptionsFromEnv({ DATABASE_URL: url, AISRE_DB_PREPARED_STATEMENTS: on }).preparedStatements,
      ).toBe(true);
    // A typo is refused, naming the variable, rather than read as on.
    expect(() => storeOptionsFromEnv({ DATABASE_URL: url, AISRE_DB_PREPARED_STATEMENTS: "flase" })).toThrow(
      /AISRE_DB_PREPARED_STATEMENTS=flase is not a boolean/,
    );
  });

  it("refuse one statement name for two texts, and accept a name declared again with its text", () => {
    const a = statement("aisre_test_one", "SELECT $1::int");
    expect(statement("aisre_test_one", "SELECT $1::int")).toEqual(a);
    expect(() => statement("aisre_test_one", "SELECT $1::text")).toThrow(/declared with two texts/);
  });

  it("never show the password of a DATABASE_URL", () => {
    expect(redactDatabaseUrl("postgres://aisre:s3cret@db:5432/aisre?sslmode=require")).toBe(
      "postgres://aisre:***@db:5432/aisre?sslmode=require",
    );
    expect(redactDatabaseUrl("postgres://postgres@127.0.0.1:5432/aisre")).toBe(
      "postgres://postgres@127.0.0.1:5432/aisre",
    );
    expect(redactDatabaseUrl("not a url with s3cret")).not.toContain("s3cret");
  });
});
