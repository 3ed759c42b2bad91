import { describe, expect, it } from "vitest";
import { hrefOf, parseHash } from "./route.ts";

describe("hash routes", () => {
  it("parses pages and incident ids", () => {
    expect(parseHash("")).toEqual({ page: "overview" });
    expect(parseHash("#/plans")).toEqual({ page: "plans" });
    expect(parseHash("#/incidents")).toEqual({ page: "incidents" });
    expect(parseHash("#/incidents/a%2Fb")).toEqual({ page: "incident", id: "a/b" });
    expect(parseHash("#/nowhere")).toEqual({ page: "overview" });
  });

  it("round-trips through hrefOf", () => {
    for (const r of [{ page: "ask" as const }, { page: "incident" as const, id: "x 1/2" }]) {
      expect(parseHash(hrefOf(r))).toEqual(r);
    }
  });
});
