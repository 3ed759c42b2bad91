import { describe, expect, it } from "vitest";
import { startHealthServer } from "./server.ts";

describe("startHealthServer", () => {
  it("answers liveness and readiness from named checks", async () => {
    let synced = false;
    const server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      liveness: { ping: () => true },
      readiness: { "informers-synced": () => synced },
    });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return { status: res.status, body: await res.text() };
    };
    try {
      expect(await get("/healthz")).toEqual({ status: 200, body: "ok\n" });
      expect(await get("/livez")).toEqual({ status: 200, body: "ok\n" });
      expect(await get("/readyz")).toEqual({
        status: 503,
        body: "[-]informers-synced failed\ncheck failed\n",
      });
      synced = true;
      expect(await get("/readyz")).toEqual({ status: 200, body: "ok\n" });
      server.addReadinessCheck("workers", async () => {
        throw new Error("boom");
      });
      expect((await get("/readyz?verbose")).body).toBe(
        "[+]informers-synced ok\n[-]workers failed\ncheck failed\n",
      );
      server.addLivenessCheck("loop", () => true);
      expect((await get("/healthz?verbose")).body).toBe("[+]ping ok\n[+]loop ok\ncheck passed\n");
      expect((await get("/nope")).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
