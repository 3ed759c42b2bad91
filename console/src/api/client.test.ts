/** The API client against a real HTTP server: CSRF on mutating calls, errors as ApiError, 401 handling. */
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError, api, query, setApiOrigin, setCsrfToken, setUnauthorizedHandler } from "./client.ts";

interface Seen {
  method: string;
  url: string;
  csrf: string | undefined;
  body: string;
}

let server: Server;
let seen: Seen[] = [];

async function bodyOf(req: IncomingMessage): Promise<string> {
  let s = "";
  for await (const chunk of req) s += String(chunk);
  return s;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({
        method: req.method!,
        url: req.url!,
        csrf: req.headers["x-csrf-token"] as string | undefined,
        body,
      });
      const json = (status: number, v: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(v));
      };
      if (req.url === "/console/api/ok") return json(200, { items: [1] });
      if (req.url === "/console/api/gone") return res.writeHead(204).end();
      if (req.url === "/console/api/field")
        return json(422, { error: "invalid", message: "must be a URL", field: "spec.llm.baseURL" });
      if (req.url === "/console/api/expired")
        return json(401, { error: "unauthenticated", message: "expired" });
      res.writeHead(502).end("<html>bad gateway</html>");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  setApiOrigin(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  setApiOrigin("");
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen = [];
  setCsrfToken("csrf-1");
  setUnauthorizedHandler(undefined);
});

describe("api()", () => {
  it("sends the CSRF token on mutating calls only, with a JSON body", async () => {
    await api("GET", "/ok");
    await api("POST", "/ok", { body: { reason: "因为" } });
    await api("PATCH", "/ok", { body: {} });
    await api("DELETE", "/gone");
    expect(seen.map((s) => [s.method, s.csrf])).toEqual([
      ["GET", undefined],
      ["POST", "csrf-1"],
      ["PATCH", "csrf-1"],
      ["DELETE", "csrf-1"],
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ reason: "因为" });
  });

  it("returns parsed JSON, and undefined for 204", async () => {
    expect(await api("GET", "/ok")).toEqual({ items: [1] });
    expect(await api("DELETE", "/gone")).toBeUndefined();
  });

  it("keeps the server's error, message and field", async () => {
    const err = await api("PATCH", "/field", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      error: "invalid",
      message: "must be a URL",
      field: "spec.llm.baseURL",
    });
  });

  it("turns a non-JSON failure into an ApiError with the status", async () => {
    const err = await api("GET", "/other").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502 });
  });

  it("ends the session on 401 unless the caller handles it", async () => {
    let ended = 0;
    setUnauthorizedHandler(() => (ended += 1));
    await expect(api("GET", "/expired")).rejects.toMatchObject({ status: 401, message: "expired" });
    await expect(api("GET", "/expired", { quiet401: true })).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
  });

  it("reports an unreachable sidecar as status 0", async () => {
    setApiOrigin("http://127.0.0.1:1");
    try {
      await expect(api("GET", "/ok")).rejects.toMatchObject({ status: 0, error: "network" });
    } finally {
      setApiOrigin(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
});

describe("query()", () => {
  it("keeps only set values", () => {
    expect(query({ a: "x y", b: undefined, c: "", d: 2, e: null })).toBe("?a=x+y&d=2");
    expect(query({})).toBe("");
  });
});
