import { describe, expect, it } from "vitest";
import { MASK, redact, redactKnown } from "./redact.ts";

describe("redact", () => {
  it.each([
    ["password=hunter2 and more", "password=***"],
    ["DB_PASSWORD: s3cr3t!", "DB_PASSWORD: ***"],
    ['{"apiKey": "abc123def456"}', '"apiKey": "***"'],
    [
      "https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=Xyz_123&debug=1",
      "access_token=***&debug=1",
    ],
    ["postgres://app:pa55word@db.prod:5432/orders", "postgres://***@db.prod:5432/orders"],
    ["key AKIAIOSFODNN7EXAMPLE leaked", `key ${MASK} leaked`],
    ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token ***"],
    ["数据库密码：Abc12345，请尽快修改", "密码：***"],
    ["opaque 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 value", `opaque ${MASK} value`],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", MASK],
  ])("masks %s", (input, expected) => {
    expect(redact(input)).toContain(expected);
  });

  it("masks bearer tokens and JWTs", () => {
    expect(redact("Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")).not.toMatch(/eyJ|c2ln/);
    expect(redact("curl -H 'Bearer abcdefgh12345678'")).toContain("Bearer ***");
  });

  it("keeps ordinary operational text", () => {
    const text =
      "Deployment shop/checkout-v2 restarted 5 times: OOMKilled (limit 512Mi), pod checkout-7d9f8b6c5-x2x9z";
    expect(redact(text)).toBe(text);
  });

  it("masks known secret values wherever they appear", () => {
    expect(redactKnown("errmsg: invalid corpsecret abcd-1234 (abcd-1234)", ["abcd-1234"])).not.toContain(
      "abcd-1234",
    );
  });
});
