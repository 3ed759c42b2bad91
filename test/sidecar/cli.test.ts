// `aisre sidecar` as a process: configuration errors exit 2 with one line; a running sidecar
// serves, and SIGTERM closes open event streams, finishes in-flight requests and exits 0.
import { spawn } from "node:child_process";
import { describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { WEBHOOK_TOKEN, freePort, serviceAccountToken, waitFor } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "sc-cli");

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["bin/aisre.mjs", "sidecar", ...args], {
    env: { PATH: process.env.PATH ?? "", AISRE_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe("aisre sidecar", () => {
  it("exits 2 with one line naming the missing setting", async () => {
    const p = run([], { AISRE_NAMESPACE: "x", KUBECONFIG: cluster!.kubeconfigPath });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toBe(
      "aisre sidecar: AISRE_WEBHOOK_TOKEN is required (the bearer token Alertmanager sends)",
    );
  });

  it("serves, then drains on SIGTERM: open SSE streams are closed and it exits 0", async () => {
    await installCrds(cluster!);
    // Minted for the sidecar's default audience (AISRE_TOKEN_AUDIENCE).
    const token = await serviceAccountToken(
      cluster!,
      ns.name,
      "watcher",
      [{ resources: ["sretasks"], verbs: ["get", "watch"] }],
      ["aisre-sidecar"],
    );
    await cluster!.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "long", namespace: ns.name },
      spec: { description: "stream me" },
    } as never);
    const port = await freePort();
    const p = run(["--port", String(port), "--host", "127.0.0.1"], {
      KUBECONFIG: cluster!.kubeconfigPath,
      AISRE_NAMESPACE: ns.name,
      AISRE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor("readyz", async () => (await fetch(`${base}/readyz`)).ok);
      const stream = await fetch(`${base}/api/v1/tasks/${ns.name}/long/events`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(stream.status).toBe(200);
      const body = stream.text();
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect(await body).toContain("event: phase");
      expect(p.output()).toContain("Stopped sidecar");
    } finally {
      p.child.kill("SIGKILL");
    }
  });
});
