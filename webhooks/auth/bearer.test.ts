import { describe, expect, it } from "vitest";
import { bearerToken, tokenKey, tokenMatches } from "./bearer.ts";

describe("bearer tokens", () => {
  it("extracts the token of a Bearer header only", () => {
    expect(bearerToken("Bearer abc.def")).toBe("abc.def");
    expect(bearerToken("bearer  abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeUndefined();
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it("compares whole tokens of any length", () => {
    expect(tokenMatches("secret-token", "secret-token")).toBe(true);
    expect(tokenMatches("secret-toke", "secret-token")).toBe(false);
    expect(tokenMatches("secret-tokenX", "secret-token")).toBe(false);
    expect(tokenMatches(undefined, "secret-token")).toBe(false);
  });

  it("keys caches by a hash, never the token", () => {
    expect(tokenKey("secret-token")).not.toContain("secret");
    expect(tokenKey("secret-token")).toBe(tokenKey("secret-token"));
  });
});
