// The peer a timeout line names, in the wordings of the common clients.
import { describe, expect, it } from "vitest";
import { timedOutPeer } from "./peers.ts";

describe("timedOutPeer", () => {
  it.each([
    ["dial tcp 10.244.1.5:43210->172.20.33.9:5432: i/o timeout", { host: "172.20.33.9", port: 5432 }],
    [
      'Post "http://payments-api.payments.svc.cluster.local:8080/v1": dial tcp 172.20.14.7:8080: i/o timeout',
      { host: "172.20.14.7", port: 8080 },
    ],
    ["Error: connect ETIMEDOUT 172.20.40.12:6379", { host: "172.20.40.12", port: 6379 }],
    [
      "java.net.SocketTimeoutException: Connect timed out: stock-db/172.20.61.4:5432",
      { host: "172.20.61.4", port: 5432 },
    ],
    [
      "HTTPConnectionPool(host='orders', port=8080): Max retries exceeded (connect timeout=5)",
      { host: "orders", port: 8080 },
    ],
    ["timeout connecting to orders-db:5432 after 5000ms", { host: "orders-db", port: 5432 }],
    ["Readiness probe failed: billing-db:5432 - no response", { host: "billing-db", port: 5432 }],
    [
      "dial tcp: lookup db on 10.96.0.10:53: read udp 10.0.0.1:1->10.96.0.10:53: i/o timeout",
      { host: "kube-dns.kube-system", port: 53, dns: true },
    ],
  ])("reads %s", (line, want) => {
    expect(timedOutPeer(line)).toEqual(want);
  });

  it("needs a timeout and a host:port", () => {
    expect(timedOutPeer("GET /orders 200 from orders-db:5432")).toBeUndefined();
    expect(timedOutPeer("connect: no route to host")).toBeUndefined();
    expect(timedOutPeer("request timeout after 10:00:00")).toBeUndefined();
  });
});
