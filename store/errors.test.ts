import { describe, expect, it } from "vitest";
import { isTransientStoreError, isUniqueViolation } from "./errors.ts";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isTransientStoreError", () => {
  it.each([
    ["connection refused", withCode("ECONNREFUSED")],
    ["connection reset", withCode("ECONNRESET")],
    ["admin shutdown (57P01)", withCode("57P01", "terminating connection due to administrator command")],
    ["cannot connect now (57P03)", withCode("57P03")],
    ["connection exception class 08", withCode("08006")],
    ["too many connections", withCode("53300")],
    ["serialization failure", withCode("40001")],
    ["deadlock", withCode("40P01")],
    ["pg: connection terminated", new Error("Connection terminated unexpectedly")],
    ["pg: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["pg: client not queryable", new Error("Client has encountered a connection error and is not queryable")],
    [
      "happy eyeballs AggregateError",
      Object.assign(new AggregateError([withCode("ECONNREFUSED")], ""), { code: "ECONNREFUSED" }),
    ],
    ["AggregateError without code", new AggregateError([new Error("a"), withCode("ECONNREFUSED")], "")],
    ["wrapped in cause", new Error("projection failed", { cause: withCode("57P01") })],
  ])("is true for %s", (_name, err) => {
    expect(isTransientStoreError(err)).toBe(true);
  });

  it.each([
    ["unique violation", withCode("23505")],
    ["syntax error", withCode("42601")],
    ["division by zero", withCode("22012")],
    ["plain error", new Error("boom")],
    ["a string", "ECONNREFUSED"],
    ["undefined", undefined],
    ["null", null],
  ])("is false for %s", (_name, err) => {
    expect(isTransientStoreError(err)).toBe(false);
  });

  it("does not loop on a self-referencing cause", () => {
    const err = new Error("self") as Error & { cause?: unknown };
    err.cause = err;
    expect(isTransientStoreError(err)).toBe(false);
  });
});

describe("isUniqueViolation", () => {
  it("matches SQLSTATE 23505 and optionally the constraint", () => {
    const err = Object.assign(withCode("23505"), { constraint: "incidents_task_uid_key" });
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, "incidents_task_uid_key")).toBe(true);
    expect(isUniqueViolation(err, "other")).toBe(false);
    expect(isUniqueViolation(withCode("23503"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
