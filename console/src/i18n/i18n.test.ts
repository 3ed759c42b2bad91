import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { zh } from "./zh.ts";
import { format, initialLang } from "./index.tsx";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogs", () => {
  it("zh and en have the same keys", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it("every text is non-empty and uses the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe("");
      expect(zh[key].trim(), key).not.toBe("");
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("the Chinese catalog is Chinese (not English copied over)", () => {
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === zh[k]);
    // Only names that are the same in both languages (Prometheus) may be identical.
    expect(same).toEqual(["agents.prometheus"]);
  });
});

describe("format", () => {
  it("fills named placeholders and leaves unknown ones", () => {
    expect(format("Plan {plan} by {who}", { plan: "ns/p" })).toBe("Plan ns/p by {who}");
    expect(format("{n} days", { n: 7 })).toBe("7 days");
  });
});

describe("initialLang", () => {
  it("prefers the stored choice, else the browser's language", () => {
    expect(initialLang("en", "zh-CN")).toBe("en");
    expect(initialLang(null, "zh-CN")).toBe("zh");
    expect(initialLang(null, "zh")).toBe("zh");
    expect(initialLang(null, "en-US")).toBe("en");
    expect(initialLang("fr", undefined)).toBe("en");
  });
});
