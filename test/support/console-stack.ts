/**
 * The real stack behind the web console, for the browser tests: the shared control plane with
 * the CRDs and the approval policy, a real PostgreSQL (hack/postgres.sh) shared by the operator
 * (which projects incidents into it) and the `aisre sidecar` process (which serves console/dist
 * and the console API from it), a bad rollout to diagnose, ServiceAccount tokens from the
 * TokenRequest API for an approver, a read-only user and a user without rights, and a TCP
 * proxy in front of the sidecar that the tests cut to drop the browser's connections.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppsV1Api } from "@kubernetes/client-node";
import { it } from "vitest";
import type { V1Pod } from "@kubernetes/client-node";
import { agentConfig, deployment } from "../remediation/support.ts";
import { WEBHOOK_TOKEN, freePort, serviceAccountToken, waitFor } from "../sidecar/support.ts";
import { startCuttableProxy } from "./browser.ts";
import type { CuttableProxy } from "./browser.ts";
import { installCrds, kubectl } from "./cluster.ts";
import { startOpenAIServer } from "./openai-server.ts";
import type { TestCluster } from "./cluster.ts";
import { startOperator, stopOperator } from "./operator-process.ts";
import type { OperatorProcess } from "./operator-process.ts";

const run = promisify(execFile);
/**
 * Console users' tokens: for the sidecar (its default AISRE_TOKEN_AUDIENCE) and for the API
 * server (its --service-account-issuer), since the console makes their writes with their token.
 */
const AUDIENCE = ["aisre-sidecar", "https://kubernetes.default.svc"];
const READ = ["get", "list", "watch"];
const READABLE = ["sretasks", "diagnosisruns", "remediationplans", "agentconfigs", "runbooks"];

/** A console user: a ServiceAccount's token and the username the API server knows it by. */
export interface ConsoleUser {
  username: string;
  token: string;
}

/** An OpenAI-protocol endpoint whose every request waits until the test releases them. */
export interface HeldLLM {
  baseURL: string;
  /** Requests received so far. */
  received(): number;
  /** Cuts the held requests (and refuses later ones): the LLM step fails, the deterministic result stands. */
  release(): Promise<void>;
}

export interface ConsoleStack {
  /** What the browser opens: the sidecar through the cuttable proxy. */
  url: string;
  /** The sidecar itself (for API calls the test makes without the browser). */
  sidecarUrl: string;
  /** The API server the sidecar reviews tokens with. */
  apiServer: string;
  namespace: string;
  approver: ConsoleUser;
  reader: ConsoleUser;
  nobody: ConsoleUser;
  operator: OperatorProcess;
  proxy: CuttableProxy;
  llm?: HeldLLM;
  sidecarLog(): string;
  /** Posts one firing Alertmanager alert (webhook payload v4) about the crash-looping Deployment. */
  fireAlert(alertname: string): Promise<{ namespace: string; name: string }>;
  stop(): Promise<void>;
}

/** Why the console stack cannot start here (outside CI), or undefined; under CI=true it throws. */
export function postgresMissing(): string | undefined {
  const found = ["17", "16", "15", "14", "13"].some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  if (found) return undefined;
  const why = "no PostgreSQL server binaries: run 'sudo apt-get install postgresql'";
  if (process.env.CI === "true") throw new Error(`${why} (required under CI)`);
  return why;
}

/** Builds console/dist once when it is missing (`npm run build:console`). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync("console/dist/index.html")) return;
  await run("npm", ["run", "build:console"], { timeout: 10 * 60_000, maxBuffer: 64 << 20 });
}

async function startHeldLLM(): Promise<HeldLLM> {
  const server = await startOpenAIServer();
  // An hour each: nothing answers until release() closes the server.
  server.script(...Array.from({ length: 50 }, () => ({ delayMs: 3_600_000, content: "held" })));
  return { baseURL: server.baseURL, received: () => server.requests.length, release: () => server.close() };
}

/** Creates checkout v1 (healthy), then rolls out v2 whose pods kwok drives into CrashLoopBackOff. */
async function badRollout(cluster: TestCluster, namespace: string): Promise<void> {
  const apps = cluster.kc.makeApiClient(AppsV1Api);
  const pods = async (): Promise<V1Pod[]> =>
    (await cluster.core.listNamespacedPod({ namespace, labelSelector: "app=checkout" })).items;
  await apps.createNamespacedDeployment({ namespace, body: deployment("checkout") });
  await waitFor(
    "checkout v1 ready",
    async () => (await pods()).filter((p) => p.status?.containerStatuses?.[0]?.ready).length === 2,
    90_000,
  );
  const v2 = deployment("checkout", {
    simulate: "CrashLoopBackOff",
    image: "registry.example.com/shop/checkout:v2",
  });
  await apps.replaceNamespacedDeployment({ name: "checkout", namespace, body: v2 });
  await waitFor(
    "checkout v2 crash-looping",
    async () =>
      (await pods()).some((p) =>
        (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === "CrashLoopBackOff"),
      ),
    90_000,
  );
}

async function users(cluster: TestCluster, ns: string) {
  const rules = (extra: Record<string, string[]>) =>
    READABLE.map((r) => ({ resources: [r], verbs: [...READ, ...(extra[r] ?? [])] }));
  const user = async (name: string, r: { resources: string[]; verbs: string[] }[]) => ({
    username: `system:serviceaccount:${ns}:${name}`,
    token: await serviceAccountToken(cluster, ns, name, r, AUDIENCE),
  });
  return {
    // The approval permission is the verb approve (deploy/approval-policy.yaml); patch writes it.
    approver: await user("approver", rules({ sretasks: ["create"], remediationplans: ["patch", "approve"] })),
    reader: await user("reader", rules({})),
    nobody: await user("nobody", []),
  };
}

function startSidecarProcess(cluster: TestCluster, ns: string, port: number, databaseUrl: string) {
  const child = spawn(process.execPath, ["bin/aisre.mjs", "sidecar", "--port", String(port)], {
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      HOST: "127.0.0.1",
      AISRE_NAMESPACE: ns,
      AISRE_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      DATABASE_URL: databaseUrl,
      AISRE_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, exited, log: () => log };
}

/**
 * Starts everything in namespace ns (which the caller created). holdLLM: the AgentConfig's LLM
 * points at a HeldLLM, so an investigation stays running until the test releases it.
 */
export async function startConsoleStack(
  cluster: TestCluster,
  ns: string,
  opts: { holdLLM?: boolean } = {},
): Promise<ConsoleStack> {
  const pgEnv = { ...process.env, AISRE_PG_DIR: join(tmpdir(), `aisre-pg-console-${process.pid}-${ns}`) };
  const pg = async (cmd: string) =>
    (await run("bash", ["hack/postgres.sh", cmd], { env: pgEnv, timeout: 180_000 })).stdout.trim();
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    await Promise.all([installCrds(cluster), ensureConsoleBuilt(), pg("start")]);
    cleanups.push(() => pg("stop"));
    const databaseUrl = await pg("url");
    const llm = opts.holdLLM ? await startHeldLLM() : undefined;
    if (llm) cleanups.push(() => llm.release());
    await setUpNamespace(cluster, ns, llm);
    const people = await users(cluster, ns);
    const operator = startOperator(cluster, {
      AISRE_WATCH_NAMESPACE: ns,
      AISRE_NAMESPACE: ns,
      AISRE_LEADER_ELECT: "false",
      AISRE_INCIDENT_STORE: "true",
      DATABASE_URL: databaseUrl,
      AISRE_LOG_LEVEL: "info",
    });
    cleanups.push(() => stopOperator(operator));
    // The operator applies the store's migrations before its workers start; the sidecar does not.
    await operator.waitForLog(/Started workers/, 180_000);
    const port = await freePort();
    const sidecar = startSidecarProcess(cluster, ns, port, databaseUrl);
    cleanups.push(async () => {
      sidecar.child.kill("SIGTERM");
      await sidecar.exited;
    });
    const sidecarUrl = `http://127.0.0.1:${port}`;
    await waitFor("sidecar ready", async () => (await fetch(`${sidecarUrl}/readyz`)).ok, 120_000).catch(
      (err: unknown) => {
        throw new Error(`${String(err)}\nsidecar log:\n${sidecar.log().slice(-3000)}`, { cause: err });
      },
    );
    const proxy = await startCuttableProxy(port);
    cleanups.push(() => proxy.close());
    return {
      url: proxy.url,
      sidecarUrl,
      apiServer: cluster.kc.getCurrentCluster()!.server,
      namespace: ns,
      ...people,
      operator,
      proxy,
      llm,
      sidecarLog: sidecar.log,
      fireAlert: (alertname) => fireAlert(sidecarUrl, ns, alertname),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The namespace's AgentConfig (plans wait for a person), a Runbook and the bad rollout. */
async function setUpNamespace(cluster: TestCluster, ns: string, llm: HeldLLM | undefined): Promise<void> {
  const config = agentConfig(ns, { autoRemediation: true, approvalRequiredAtRisk: "low" });
  if (llm) {
    await cluster.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: "llm-key" }, stringData: { apiKey: "sk-console-test-0123456789" } },
    });
    config.spec.llm = {
      enabled: true,
      baseURL: llm.baseURL,
      model: "held",
      timeoutSeconds: 600,
      maxSteps: 1,
      apiKeySecretRef: { name: "llm-key", key: "apiKey" },
    } as NonNullable<typeof config.spec.llm>;
  }
  await cluster.objects.create(config as never);
  const runbook = await kubectl(cluster, ["-n", ns, "apply", "-f", "examples/runbook.yaml"]);
  if (runbook.code !== 0) throw new Error(`kubectl apply examples/runbook.yaml: ${runbook.stderr}`);
  await badRollout(cluster, ns);
}

async function fireAlert(
  sidecarUrl: string,
  ns: string,
  alertname: string,
): Promise<{ namespace: string; name: string }> {
  const labels = { alertname, namespace: ns, deployment: "checkout", container: "app", severity: "critical" };
  const alert = {
    status: "firing",
    labels,
    annotations: { summary: "checkout 一直重启 (CrashLoopBackOff) since the v2 rollout" },
    startsAt: new Date().toISOString(),
    endsAt: "0001-01-01T00:00:00Z",
    fingerprint: createHash("sha256").update(`${ns}/${alertname}`).digest("hex").slice(0, 16),
  };
  const res = await fetch(`${sidecarUrl}/alerts/alertmanager`, {
    method: "POST",
    headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      version: "4",
      status: "firing",
      receiver: "aisre",
      groupLabels: { alertname },
      commonLabels: labels,
      commonAnnotations: alert.annotations,
      alerts: [alert],
    }),
  });
  if (!res.ok) throw new Error(`the sidecar refused the alert: ${res.status} ${await res.text()}`);
  const { tasks } = (await res.json()) as { tasks: Array<{ namespace: string; name: string }> };
  return tasks[0]!;
}

/**
 * Like vitest's `it`, skipped outside CI (one line saying how to get what is missing) when the
 * control plane, chromium or PostgreSQL is missing; under CI=true a missing part fails.
 */
export function itOnConsole(cluster: TestCluster | undefined, chromiumMissing: () => string | undefined) {
  const missing = cluster ? (chromiumMissing() ?? postgresMissing()) : "no control plane";
  if (cluster && missing) console.warn(`skipped: ${missing}`);
  return (missing ? it.skip : it) as typeof it;
}
