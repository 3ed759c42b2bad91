import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionKey, shareConnections } from "./connections.ts";
import { KubeClient } from "./kube-api.ts";

// A real TLS server (a self-signed certificate from openssl) counting the handshakes it accepts.
let dir = "";
let server: Server;
let handshakes = 0;
let port = 0;
let cert = "";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "aisre-conn-"));
  execFileSync("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`, "-days", "1", "-subj", "/CN=127.0.0.1"],
    ...["-addext", "subjectAltName=IP:127.0.0.1"],
  ]);
  cert = readFileSync(`${dir}/cert.pem`, "utf8");
  server = createServer({ key: readFileSync(`${dir}/key.pem`), cert }, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Namespace", metadata: { name: "default" } }));
  });
  server.on("secureConnection", () => handshakes++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubeConfig(ca: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: "c", server: `https://127.0.0.1:${port}`, caData: Buffer.from(ca).toString("base64") },
    ],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return kc;
}

async function handshakesFor(kc: KubeConfig, requests: number): Promise<number> {
  const before = handshakes;
  const client = KubeClient.fromKubeConfig(kc);
  for (let i = 0; i < requests; i++) await client.request("GET", "/api/v1/namespaces/default");
  return handshakes - before;
}

describe("shareConnections", () => {
  it("reuses one TLS connection for sequential requests, where client-node alone opens one each", async () => {
    expect(await handshakesFor(kubeConfig(cert), 8)).toBe(8);
    // undici may replace the very first socket once; after that the pool's connection is reused.
    expect(await handshakesFor(shareConnections(kubeConfig(cert)), 8)).toBeLessThanOrEqual(2);
  });

  it("is idempotent and opens a new pool when the TLS identity changes", async () => {
    const kc = shareConnections(shareConnections(kubeConfig(cert)));
    expect(await handshakesFor(kc, 6)).toBeLessThanOrEqual(2);
    // A rotated CA bundle (same certificate, different bytes) is another identity: a new pool.
    kc.clusters[0] = { ...kc.clusters[0]!, caData: Buffer.from(`${cert}\n`).toString("base64") };
    const rotated = await handshakesFor(kc, 6);
    expect(rotated).toBeGreaterThanOrEqual(1);
    expect(rotated).toBeLessThanOrEqual(2);
  });

  it("keys on the server and every TLS input, not on object identity", () => {
    const c = { server: "https://a" };
    expect(connectionKey(c, { ca: Buffer.from("x") })).toBe(connectionKey({ ...c }, { ca: "x" }));
    expect(connectionKey(c, { ca: "x" })).not.toBe(connectionKey(c, { ca: "y" }));
    expect(connectionKey(c, { ca: "x" })).not.toBe(connectionKey({ server: "https://b" }, { ca: "x" }));
  });
});
