/**
 * The generated chart, checked by the real helm (hack/build-helm.sh): lint --strict, the
 * default rendering equals deploy/ and crds/ object for object, the schema refuses unknown
 * values, values switch objects, the PrometheusRule passes promtool on metrics the operator
 * really exports, dashboards ship whatever their number, and the test hook's script gets its
 * verdict from a real /readyz. The install on a cluster is in install.test.ts.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHealthServer } from "../../runtime/health/server.ts";
import { createRuntimeMetrics } from "../../runtime/metrics/runtime-metrics.ts";
import { createMetrics } from "../../webhooks/metrics.ts";
import { CHART, ROOT, helm, helmBinary, key, objects } from "./support.ts";
import type { Obj } from "./support.ts";

const run = promisify(execFile);
const bin = await helmBinary();
const itHelm = (bin ? it : it.skip) as typeof it;

/** `helm template` of a chart directory with extra arguments; throws with helm's stderr. */
async function template(args: string[] = [], chart = CHART): Promise<Obj[]> {
  const r = await helm(bin!, ["template", "aisre", chart, "--namespace", "aisre-system", ...args]);
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return objects(r.stdout);
}

const plain = (dir: string, skip: string[] = []) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".yaml") && !skip.includes(f))
    .flatMap((f) => objects(readFileSync(join(ROOT, dir, f), "utf8")));

const ALL_ON = ["serviceMonitor.enabled=true", "prometheusRule.enabled=true", "dashboards.enabled=true"];

describe("the Helm chart, by helm", () => {
  itHelm("passes helm lint --strict, with the defaults and with every optional object on", async () => {
    for (const set of [[], ["--set", ALL_ON.join(",")]]) {
      const r = await helm(bin!, ["lint", "--strict", CHART, ...set]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("0 chart(s) failed");
    }
  });

  itHelm("renders with default values the same objects and specs as deploy/ and crds/", async () => {
    const rendered = new Map((await template(["--include-crds"])).map((o) => [key(o), o]));
    // Documented differences (docs/helm.md): Helm creates the release namespace itself and
    // the chart adds its test hook; everything else is the plain manifests, object for object.
    const expected = [...plain("deploy", ["namespace.yaml"]), ...plain("crds")];
    expect(expected.length).toBeGreaterThan(20);
    for (const o of expected) expect(rendered.get(key(o)), key(o)).toEqual(o);
    const extra = [...rendered.keys()].filter((k) => !expected.some((o) => key(o) === k));
    expect(extra).toEqual(["Pod/aisre-test-readyz"]);
  });

  itHelm("refuses a value the schema does not declare, naming it, at any depth", async () => {
    const cases: [string, string, string][] = [
      ["--set", "replicas=3", "replicas"],
      ["--set", "sidecar.tls.bogus=x", "bogus"],
      ["--set", "identities.auditor.enabled=true", "auditor"],
      ["--set", "replicaCount=two", "replicaCount"],
    ];
    for (const [flag, value, named] of cases) {
      const r = await helm(bin!, ["template", "aisre", CHART, flag, value]);
      expect(r.code, value).not.toBe(0);
      expect(r.stderr, value).toContain(named);
    }
  });

  itHelm(
    "switches identities and the NetworkPolicy off, annotates ServiceAccounts, sets resources",
    async () => {
      const all = await template([
        "--set",
        "identities.executor.enabled=false,sidecar.networkPolicy.enabled=false,resources.limits.memory=1Gi",
        "--set-string",
        "identities.operator.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::1:role/aisre",
      ]);
      expect(all.filter((o) => o.metadata.name === "aisre-executor")).toEqual([]);
      expect(all.filter((o) => o.kind === "NetworkPolicy")).toEqual([]);
      expect(all.filter((o) => o.metadata.name === "aisre-diagnosis-reader")).toHaveLength(2);
      const sa = all.find((o) => key(o) === "ServiceAccount/aisre-operator")!;
      expect(sa.metadata.annotations).toEqual({
        "argocd.argoproj.io/sync-wave": "-1",
        "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/aisre",
      });
      const op = all.find((o) => key(o) === "Deployment/aisre-operator")!;
      expect(op.spec.template.spec.containers[0].resources.limits.memory).toBe("1Gi");
    },
  );

  itHelm(
    "scrapes ports the Services have and alerts on metrics the operator and sidecar export",
    async () => {
      const all = await template(["--set", ALL_ON.join(",")]);
      const monitor = all.find((o) => o.kind === "ServiceMonitor")!;
      const services = all.filter((o) => o.kind === "Service");
      const ports = services.flatMap((s) => s.spec.ports.map((p: Obj) => p.name));
      for (const e of monitor.spec.endpoints) expect(ports).toContain(e.port);
      for (const s of services) expect(s.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);

      const rule = all.find((o) => o.kind === "PrometheusRule")!;
      const alerts = rule.spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.alert));
      expect(alerts).toEqual([
        "AisreReconcileErrors",
        "AisreWebhook5xx",
        "AisreTasksStuck",
        "AisreLeaderLost",
      ]);
      // promtool (from Prometheus, installed by .ci/run) parses every expression and template.
      const dir = mkdtempSync(join(tmpdir(), "aisre-rules-"));
      writeFileSync(join(dir, "rules.json"), JSON.stringify({ groups: rule.spec.groups }));
      const checked = await run("promtool", ["check", "rules", join(dir, "rules.json")]).catch(
        (err: { stdout?: string; stderr?: string; code?: string }) => {
          if (err.code === "ENOENT" && process.env.CI !== "true")
            return { stdout: "SUCCESS (promtool missing)" };
          throw new Error(`promtool check rules failed: ${err.stdout ?? ""} ${err.stderr ?? String(err)}`);
        },
      );
      expect(checked.stdout).toContain("SUCCESS");
      rmSync(dir, { recursive: true, force: true });

      // Every metric an alert reads is registered by the real exporters.
      const runtime = createRuntimeMetrics({ defaultMetrics: false });
      runtime.controller("sretask");
      runtime.workqueue("sretask");
      runtime.leaderStatus("aisre-operator", true);
      const exported = new Set(
        [
          ...(await runtime.registry.getMetricsAsJSON()),
          ...(await createMetrics().registry.getMetricsAsJSON()),
        ].map((m) => m.name),
      );
      const used = rule.spec.groups
        .flatMap((g: Obj) => g.rules.map((r: Obj) => String(r.expr)))
        .flatMap((expr: string) => [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{/g)].map((m) => m[1]));
      expect(used.length).toBeGreaterThanOrEqual(5);
      for (const name of used) expect(exported, name).toContain(name.replace(/_(count|sum|bucket)$/, ""));
      // Prometheus's own {{ $labels }} templates survive Helm's.
      expect(JSON.stringify(rule)).toContain("{{ $labels.controller }}");
    },
  );

  itHelm("scrapes the sidecar over HTTPS with the given tlsConfig once it serves TLS", async () => {
    const tls = {
      serverName: "aisre-sidecar.aisre-system.svc",
      ca: { secret: { name: "ca", key: "ca.crt" } },
    };
    const all = await template([
      "--set",
      "serviceMonitor.enabled=true,sidecar.tls.secretName=sidecar-cert",
      "--set-json",
      `serviceMonitor.sidecarTlsConfig=${JSON.stringify(tls)}`,
    ]);
    const endpoints = all.find((o) => o.kind === "ServiceMonitor")!.spec.endpoints as Obj[];
    const sidecar = endpoints.find((e) => e.port === "webhooks")!;
    expect(sidecar).toMatchObject({ scheme: "https", tlsConfig: tls });
    const plain = (await template(["--set", "serviceMonitor.enabled=true"])).find(
      (o) => o.kind === "ServiceMonitor",
    )!;
    expect(plain.spec.endpoints.find((e: Obj) => e.port === "webhooks")).toEqual({
      port: "webhooks",
      path: "/metrics",
      interval: "30s",
      scheme: "http",
    });
  });

  describe("dashboards", () => {
    let copy: string;
    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), "aisre-chart-"));
      cpSync(CHART, copy, { recursive: true });
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    itHelm("become one ConfigMap each for Grafana's sidecar, with zero, one or many files", async () => {
      for (const n of [0, 1, 3]) {
        rmSync(join(copy, "dashboards"), { recursive: true, force: true });
        if (n > 0) mkdirSync(join(copy, "dashboards"));
        // Grafana's own legend templates ({{pod}}) must reach Grafana untouched.
        const boards = Array.from({ length: n }, (_, i) => ({
          file: `Board_${i}.json`,
          json: JSON.stringify({ uid: `b${i}`, title: `Board ${i}`, panels: [{ legendFormat: "{{pod}}" }] }),
        }));
        for (const b of boards) writeFileSync(join(copy, "dashboards", b.file), b.json);
        const maps = (await template(["--set", "dashboards.enabled=true"], copy)).filter(
          (o) => o.kind === "ConfigMap",
        );
        expect(maps.map((m) => m.metadata.name).sort()).toEqual(
          boards.map((_, i) => `aisre-dashboard-board-${i}`),
        );
        for (const b of boards) {
          const map = maps.find((m) => m.data[b.file] !== undefined)!;
          expect(map.data[b.file]).toBe(b.json);
          expect(map.metadata.labels.grafana_dashboard).toBe("1");
        }
        const off = await template([], copy);
        expect(off.filter((o) => o.kind === "ConfigMap")).toEqual([]);
      }
    });
  });

  itHelm("ships a helm test hook whose script passes only on a 2xx from the operator's /readyz", async () => {
    const pod = (await template()).find((o) => key(o) === "Pod/aisre-test-readyz")!;
    expect(pod.metadata.annotations["helm.sh/hook"]).toBe("test");
    expect(pod.spec.restartPolicy).toBe("Never");
    const [c] = pod.spec.containers;
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false });
    const url = c.env.find((e: Obj) => e.name === "AISRE_READYZ_URL").value as string;
    expect(url).toBe("http://aisre-operator-metrics.aisre-system.svc:8081/readyz");
    // kwok pods run no containers, so the hook's own command runs here against the real
    // health server of runtime/health (the operator's), on the Service's port path.
    let ready = false;
    const server = await startHealthServer({
      port: 0,
      host: "127.0.0.1",
      readiness: { informers: () => ready },
    });
    try {
      const local = url.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${server.port}`);
      const hook = () =>
        run(process.execPath, c.command.slice(1), { env: { ...process.env, AISRE_READYZ_URL: local } }).then(
          () => 0,
          (err: { code?: number }) => err.code ?? 1,
        );
      expect(c.command[0]).toBe("node");
      expect(await hook()).toBe(1);
      ready = true;
      expect(await hook()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
