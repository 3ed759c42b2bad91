import { describe, expect, it } from "vitest";
import { formatDuration, formatRef, formatTime, formatValue } from "./format.ts";

describe("format helpers", () => {
  it("formats durations in both languages", () => {
    expect(formatDuration(45, "en")).toBe("45s");
    expect(formatDuration(200, "en")).toBe("3m 20s");
    expect(formatDuration(3900, "en")).toBe("1h 5m");
    expect(formatDuration(3900, "zh")).toBe("1 小时 5 分");
    expect(formatDuration(null, "en")).toBe("—");
  });

  it("formats references and values", () => {
    expect(formatRef({ kind: "Deployment", namespace: "shop", name: "checkout" })).toBe(
      "Deployment shop/checkout",
    );
    expect(formatRef({ kind: "Node", name: "n1" })).toBe("Node n1");
    expect(formatValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatValue(undefined)).toBe("");
  });

  it("keeps an unparsable time as written", () => {
    expect(formatTime("soon", "en")).toBe("soon");
    expect(formatTime("2026-12-06T10:00:00Z", "en")).toMatch(/2026/);
  });
});
