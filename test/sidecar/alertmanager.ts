/** A real Alertmanager (Debian's prometheus-alertmanager) on loopback, for the webhook tests. */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "./support.ts";

const CANDIDATES = [
  process.env.AISRE_ALERTMANAGER_BIN,
  "/usr/bin/prometheus-alertmanager",
  "/usr/local/bin/alertmanager",
];

/** The Alertmanager binary, or undefined (outside CI: after one line saying how to get it). */
export function alertmanagerBinary(): string | undefined {
  for (const c of CANDIDATES) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  if (process.env.CI === "true") throw new Error("prometheus-alertmanager not found under CI");
  console.warn(
    "skipped: no Alertmanager; run 'sudo apt-get install prometheus-alertmanager' (or set AISRE_ALERTMANAGER_BIN)",
  );
  return undefined;
}

export interface RunningAlertmanager {
  url: string;
  /** Posts alerts to /api/v2/alerts. */
  inject(
    alerts: {
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: string;
      endsAt?: string;
    }[],
  ): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

/** Starts Alertmanager with one webhook receiver: group_wait/group_interval 1s, long repeat. */
export async function startAlertmanager(
  bin: string,
  webhookUrl: string,
  token: string,
): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), "aisre-am-"));
  const port = await freePort();
  const config = `
route:
  receiver: aisre
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: aisre
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${token}
`;
  writeFileSync(join(dir, "alertmanager.yml"), config);
  let output = "";
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor("Alertmanager ready", async () => (await fetch(`${url}/-/ready`)).ok, 20_000);
  return {
    url,
    async inject(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`Alertmanager refused alerts: ${res.status} ${await res.text()}`);
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
