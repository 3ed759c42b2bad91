import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  it.each([
    ["0", 0],
    ["0s", 0],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1d", 86_400_000],
    ["1w2d", 9 * 86_400_000],
    ["1s500ms", 1500],
  ])("reads %s", (text, ms) => expect(parseDuration(text)).toEqual({ ok: true, ms }));

  it.each(["", "5", "5min", "m5", "1.5h", "-5m", " 5m"])("refuses %j as not a duration", (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("not a duration");
  });

  it.each(["5m1h", "5m5m", "1ms1s"])("refuses %s: units largest first, once each", (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("largest first");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [90_000, "1m30s"],
    [5_400_000, "1h30m"],
    [86_400_000 + 1000, "1d1s"],
  ])("prints %d ms as %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
