import { describe, expect, it } from "vitest";
import { matchRunbooks } from "./runbooks.ts";
import { stem, terms } from "./runbook-terms.ts";
import { MemoryView } from "./view.ts";

const runbook = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "Runbook",
  metadata: { name, namespace: "aisre" },
  spec,
});

// Runbooks that all match the same category, so only their text can tell them apart.
const ZH = [
  runbook("db-refused", {
    title: "数据库拒绝连接",
    description:
      "应用日志出现“连接被拒绝”或“connection refused”：数据库 Pod 未就绪、Service 没有端点或端口错误。",
    matches: { categories: ["DependencyUnavailable"] },
    steps: [{ title: "检查数据库 Pod 与 Service 端点", command: "kubectl get endpoints -n <ns> <svc>" }],
  }),
  runbook("dns-fail", {
    title: "域名解析失败",
    description: "日志出现 no such host 或解析超时：检查 CoreDNS 与 kube-dns 端点。",
    matches: { categories: ["DependencyUnavailable"] },
  }),
  runbook("cert-expired", {
    title: "证书过期",
    description: "握手失败，证书已过期或不受信任；检查 cert-manager 的 Certificate 与 Issuer。",
    matches: { categories: ["DependencyUnavailable"] },
  }),
  runbook("disk-full", {
    title: "磁盘空间不足",
    description: "写入失败，磁盘已满，清理日志或扩容 PVC。",
    matches: { categories: ["NodePressure"] },
  }),
];

const EN = [
  runbook("redis-timeout", {
    title: "Redis timeouts under load",
    description:
      "Clients log i/o timeout talking to Redis; check maxclients, slow commands and CPU throttling.",
    matches: { categories: ["CrashLoop"] },
  }),
  runbook("postgres-refused", {
    title: "PostgreSQL refuses connections",
    description:
      "The app fails with connection refused on port 5432: the database pod is not ready or too many connections.",
    matches: { categories: ["CrashLoop"] },
  }),
  runbook("bad-config", {
    title: "Bad configuration after a deploy",
    description:
      "The app exits at start because a ConfigMap key is missing or invalid; roll back the config.",
    matches: { categories: ["CrashLoop"] },
  }),
  runbook("image-pull", {
    title: "Image cannot be pulled",
    description: "ErrImagePull, manifest unknown, registry unauthorized.",
    matches: { alertnames: ["KubePodNotReady"] },
  }),
];

const view = (objects: unknown[]) => new MemoryView(objects as never[]);

describe("runbook terms", () => {
  it("segments Chinese by dictionary words and character bigrams, English by light stems", () => {
    const t = terms("数据库连接被拒绝 Connections were refused, retrying");
    expect(t).toEqual(
      expect.arrayContaining(["连接", "拒绝", "数据", "据库", "connection", "refus", "retry"]),
    );
    // Particles alone and English stop words are dropped.
    expect(t).not.toContain("被");
    expect(t).not.toContain("were");
    expect(["fails", "failed", "failing"].map(stem)).toEqual(["fail", "fail", "fail"]);
    expect(["refuse", "refused", "refusing", "denied", "processes"].map(stem)).toEqual([
      "refus",
      "refus",
      "refus",
      "deny",
      "process",
    ]);
  });
});

describe("matchRunbooks", () => {
  it("picks the Chinese runbook whose text matches the evidence among same-category decoys", () => {
    const evidence = ["订单服务无法启动：连接 orders-db:5432 被拒绝", "数据库 Pod 未就绪"];
    const hits = matchRunbooks(view(ZH), "DependencyUnavailable", undefined, evidence);
    expect(hits.map((h) => h.name)).toEqual(["db-refused", "dns-fail", "cert-expired"]);
    const [top, second] = hits;
    expect(top!.matchedOn[0]).toBe("category=DependencyUnavailable");
    expect(top!.matchedOn[1]).toMatch(/^text: .*(连接|拒绝).* \(bm25 \d+(\.\d)?\)$/);
    expect(top!.score).toBeGreaterThan(second!.score);
    // disk-full shares "失败"-like words with nothing here and has another category: left out.
    expect(hits.every((h) => h.score >= 0.5 && h.score <= 1)).toBe(true);
  });

  it("picks the English runbook by stems (refused ~ refuses) among same-category decoys", () => {
    const evidence = ["dial tcp 10.0.3.7:5432: connect: connection refused"];
    const hits = matchRunbooks(view(EN), "CrashLoop", undefined, evidence);
    expect(hits[0]!.name).toBe("postgres-refused");
    expect(hits[0]!.matchedOn[1]).toMatch(/^text: .*refus/);
    expect(hits.map((h) => h.name)).not.toContain("image-pull");
  });

  it("lets exact matches dominate: an alertname match outranks a better text match", () => {
    const alert = {
      labels: { alertname: "KubePodNotReady" },
      annotations: { summary: "connection refused on 5432" },
    };
    const hits = matchRunbooks(view(EN), undefined, alert);
    expect(hits[0]).toMatchObject({ name: "image-pull", matchedOn: ["alertname=KubePodNotReady"] });
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.5);
    // Text-only matches follow, below 0.5, each citing its terms.
    const textOnly = hits.slice(1);
    expect(textOnly.map((h) => h.name)).toEqual(["postgres-refused"]);
    expect(textOnly[0]!.score).toBeLessThan(0.5);
    expect(textOnly[0]!.matchedOn).toEqual([expect.stringMatching(/^text: /)]);
  });

  it("matches labels exactly and needs all of them", () => {
    const rb = runbook("team", {
      title: "Payments on-call",
      matches: { labels: { team: "pay", tier: "1" } },
    });
    const alert = (labels: Record<string, string>) => ({ labels: { alertname: "X", ...labels } });
    expect(matchRunbooks(view([rb]), undefined, alert({ team: "pay", tier: "1" }))[0]).toMatchObject({
      matchedOn: ["team=pay", "tier=1"],
    });
    expect(matchRunbooks(view([rb]), undefined, alert({ team: "pay" }))).toEqual([]);
  });

  it("does not match on one shared word, and ignores Runbooks of other API groups", () => {
    const foreign = { ...EN[1], apiVersion: "example.com/v1" };
    expect(matchRunbooks(view([foreign]), "CrashLoop")).toEqual([]);
    expect(matchRunbooks(view(EN), undefined, undefined, ["redis"])).toEqual([]);
  });
});
