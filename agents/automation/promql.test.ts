import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prometheusQuery, verifyPromQL } from "./promql.ts";

let answer: { status: number; body: unknown } = { status: 200, body: {} };
let lastQuery = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    lastQuery = new URLSearchParams(body).get("query") ?? "";
    res.writeHead(answer.status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the plan's PromQL check", () => {
  it("passes on a non-empty result, waits on an empty one or an error", async () => {
    const q = prometheusQuery(url);
    answer = {
      status: 200,
      body: { status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "1"] }] } },
    };
    expect(await verifyPromQL(q, 'up{job="web"} == 1')).toEqual({
      done: true,
      ok: true,
      message: "PromQL check returned 1 series",
    });
    expect(lastQuery).toBe('up{job="web"} == 1');
    answer = { status: 200, body: { status: "success", data: { resultType: "vector", result: [] } } };
    expect(await verifyPromQL(q, "up == 1")).toMatchObject({ done: false });
    answer = { status: 400, body: { status: "error", error: "parse error" } };
    expect(await verifyPromQL(q, "up ==")).toMatchObject({
      done: false,
      message: expect.stringContaining("parse error"),
    });
  });

  it("fails clearly when no Prometheus is configured", async () => {
    expect(await verifyPromQL(undefined, "up")).toMatchObject({ done: true, ok: false });
  });
});
