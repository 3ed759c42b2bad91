// Lookup failures in the wordings of the common runtimes.
import { describe, expect, it } from "vitest";
import { parseLookup } from "./dns.ts";

describe("parseLookup", () => {
  it.each([
    [
      "dial tcp: lookup redis.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.244.1.5:43210->10.96.0.10:53: i/o timeout",
      "redis.shop.svc.cluster.local",
      true,
    ],
    ["dial tcp: lookup orders-db on 10.96.0.10:53: no such host", "orders-db", false],
    ["dial tcp: lookup api.example.com: no such host", "api.example.com", false],
    ["Error: getaddrinfo EAI_AGAIN api.stripe.com", "api.stripe.com", true],
    ["Error: getaddrinfo ENOTFOUND payments", "payments", false],
    ["java.net.UnknownHostException: orders-db: Temporary failure in name resolution", "orders-db", true],
    ["socket.gaierror: [Errno -3] Temporary failure in name resolution", undefined, true],
    ["curl: (6) Could not resolve host: api.internal", "api.internal", false],
  ])("reads %s", (line, host, noAnswer) => {
    expect(parseLookup(line)).toEqual({ noAnswer, ...(host ? { host } : {}) });
  });

  it("ignores lines that are not lookups", () => {
    expect(parseLookup("dial tcp 10.0.0.5:5432: i/o timeout")).toBeUndefined();
  });
});
