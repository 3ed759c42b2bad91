import { describe, expect, it } from "vitest";
import { isWeekend } from "./baseline.ts";

describe("isWeekend", () => {
  it("knows Saturday and Sunday in UTC", () => {
    const at = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;
    expect(isWeekend(at("2026-12-05"))).toBe(true); // Saturday
    expect(isWeekend(at("2026-12-06"))).toBe(true); // Sunday
    expect(isWeekend(at("2026-12-07"))).toBe(false); // Monday
    expect(isWeekend(at("2026-12-04"))).toBe(false); // Friday
  });
});
