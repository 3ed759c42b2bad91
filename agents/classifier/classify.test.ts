import { describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { classifyTask } from "./classify.ts";

type Spec = SreTask["spec"];
const task = (spec: Spec): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t" },
  spec,
});
const text = (description: string) => classifyTask(task({ description }));
const T = (kind: string, name: string, namespace?: string) =>
  namespace ? { kind, namespace, name } : { kind, name };

describe("classifyTask: free text in Chinese and English", () => {
  // [text, type, target, sure?]
  const cases: [string, string, object | undefined, boolean][] = [
    ["checkout 服务为什么一直重启", "Diagnose", T("Service", "checkout"), true],
    ["checkout服务为什么一直重启？", "Diagnose", T("Service", "checkout"), true],
    ["shop 命名空间下的 checkout 服务为什么一直重启", "Diagnose", T("Service", "checkout", "shop"), true],
    ["节点 node-1 NotReady 了，怎么回事", "Diagnose", T("Node", "node-1"), true],
    [
      "pod checkout-7c9d8f6b5-x2k8p 一直 CrashLoopBackOff",
      "Diagnose",
      T("Pod", "checkout-7c9d8f6b5-x2k8p"),
      true,
    ],
    ["数据库 pvc data-pg-0 一直 pending", "Diagnose", T("PersistentVolumeClaim", "data-pg-0"), true],
    ["job import-42 失败了", "Diagnose", T("Job", "import-42"), true],
    ["命名空间 batch 里的 定时任务 nightly 报错", "Diagnose", T("CronJob", "nightly", "batch"), true],
    ["排查一下 payment 部署 -n pay", "Diagnose", T("Deployment", "payment", "pay"), true],
    ["为什么 api-gateway 的 5xx 这么多", "Diagnose", T("Deployment", "api-gateway"), false],
    ["看看 payment 怎么了", "Diagnose", T("Deployment", "payment"), false],
    [
      "why is checkout-api failing in namespace shop",
      "Diagnose",
      T("Deployment", "checkout-api", "shop"),
      true,
    ],
    ["why did the checkout deployment restart?", "Diagnose", T("Deployment", "checkout"), true],
    ["checkout.shop.svc.cluster.local returns 503", "Diagnose", T("Service", "checkout", "shop"), true],
    ["ingress shop-web 404", "Diagnose", T("Ingress", "shop-web"), true],
    [
      "kubectl get deployment.apps/checkout -n shop shows 0/3 ready",
      "Diagnose",
      T("Deployment", "checkout", "shop"),
      true,
    ],
    [
      "how do I fix the OOMKilled pods of orders-worker?",
      "Diagnose",
      T("Deployment", "orders-worker"),
      false,
    ],
    ["hpa can't scale the web deployment", "Diagnose", T("Deployment", "web"), true],
    ["investigate statefulset zk in namespace data", "Diagnose", T("StatefulSet", "zk", "data"), true],
    ["怎么修复 checkout 部署的 OOM", "Diagnose", T("Deployment", "checkout"), true],
    ["重启一下 shop 命名空间下的 checkout 部署", "Remediate", T("Deployment", "checkout", "shop"), true],
    ["回滚 deploy/checkout -n shop", "Remediate", T("Deployment", "checkout", "shop"), true],
    ["帮我重启 checkout", "Remediate", T("Deployment", "checkout"), false],
    ["把 payment 扩容到 5 个副本", "Remediate", T("Deployment", "payment"), false],
    ["checkout 一直重启，帮我修复一下", "Remediate", T("Deployment", "checkout"), false],
    ["驱逐节点 ip-10-0-1-23.ec2.internal", "Remediate", T("Node", "ip-10-0-1-23.ec2.internal"), true],
    ["restart deployment checkout -n shop", "Remediate", T("Deployment", "checkout", "shop"), true],
    ["please roll back shop/checkout", "Remediate", T("Deployment", "checkout", "shop"), true],
    [
      "scale the api deployment to 3 replicas in the web namespace",
      "Remediate",
      T("Deployment", "api", "web"),
      true,
    ],
    [
      "the orders service in namespace shop is down, fix it",
      "Remediate",
      T("Service", "orders", "shop"),
      true,
    ],
    ["drain node worker-3", "Remediate", T("Node", "worker-3"), true],
    ["cordon node-7", "Remediate", T("Node", "node-7"), true],
    [
      "drain the node of pod api-7c9d8f6b5-x2k8p: node ip-10-0-0-1",
      "Remediate",
      T("Node", "ip-10-0-0-1"),
      true,
    ],
    ["delete the namespace", "Remediate", undefined, false],
    ["巡检一下集群", "HealthCheck", undefined, true],
    ["帮我做一次集群健康检查", "HealthCheck", undefined, true],
    ["检查 shop 命名空间", "HealthCheck", T("Namespace", "shop"), true],
    ["所有节点都正常吗", "HealthCheck", undefined, true],
    ["run a health check on the cluster", "HealthCheck", undefined, true],
    ["is everything ok?", "HealthCheck", undefined, true],
    ["check namespace payments", "HealthCheck", T("Namespace", "payments"), true],
    ["hello", "Diagnose", undefined, false],
  ];
  for (const [description, type, target, sure] of cases) {
    it(`${description} → ${type}${target ? ` ${JSON.stringify(target)}` : ""}${sure ? "" : " (unsure)"}`, () => {
      const c = text(description);
      expect(c.type).toBe(type);
      expect(c.target).toEqual(target);
      expect(c.method).toBe("Rules");
      expect(c.unsure).toBe(!sure);
      expect(c.unsure).toBe(c.confidence < 0.6);
      expect(c.rationale).toBeTruthy();
    });
  }

  it("rates a named kind and namespace above a guessed name", () => {
    expect(text("排查一下 payment 部署 -n pay").confidence).toBeGreaterThan(
      text("看看 payment 怎么了").confidence,
    );
    expect(text("restart deployment checkout -n shop").confidence).toBeGreaterThan(
      text("restart deployment checkout").confidence,
    );
  });
});

describe("classifyTask: explicit spec", () => {
  it("lets spec.type win over the text, and spec.target over everything", () => {
    const c = classifyTask(
      task({
        type: "HealthCheck",
        description: "重启 checkout",
        target: T("Deployment", "api", "web") as never,
      }),
    );
    expect(c).toEqual({
      type: "HealthCheck",
      target: T("Deployment", "api", "web"),
      confidence: 1,
      method: "Rules",
      rationale: "spec.type is HealthCheck; target Deployment web/api from spec.target.",
      unsure: false,
    });
  });

  it("takes the type from spec.type and the target from the text", () => {
    const c = classifyTask(task({ type: "Remediate", description: "deploy/checkout -n shop" }));
    expect(c).toMatchObject({
      type: "Remediate",
      target: T("Deployment", "checkout", "shop"),
      confidence: 0.9,
      unsure: false,
    });
  });

  it("is unsure about a remediation without a target", () => {
    expect(classifyTask(task({ type: "Remediate", description: "please fix it" }))).toMatchObject({
      type: "Remediate",
      confidence: 0.4,
      unsure: true,
    });
  });

  it("classifies Auto with only a target as a diagnosis of it", () => {
    expect(classifyTask(task({ type: "Auto", target: T("Node", "n1") as never }))).toMatchObject({
      type: "Diagnose",
      target: T("Node", "n1"),
      unsure: true,
    });
  });
});

describe("classifyTask: alerts", () => {
  const alert = (labels: Record<string, string>, annotations?: Record<string, string>) =>
    classifyTask(
      task({ source: "Alertmanager", alert: { labels, ...(annotations ? { annotations } : {}) } }),
    );

  it("diagnoses a crash-looping pod named by kube-state-metrics labels, not the scraper", () => {
    expect(
      alert({
        alertname: "KubePodCrashLooping",
        namespace: "shop",
        pod: "checkout-7c9d8f6b5-x2k8p",
        service: "kube-state-metrics",
        job: "kube-state-metrics",
      }),
    ).toMatchObject({
      type: "Diagnose",
      target: T("Pod", "checkout-7c9d8f6b5-x2k8p", "shop"),
      confidence: 0.95,
      unsure: false,
    });
  });

  const cases: [Record<string, string>, string, object | undefined][] = [
    [
      { alertname: "KubeDeploymentReplicasMismatch", namespace: "shop", deployment: "checkout" },
      "Diagnose",
      T("Deployment", "checkout", "shop"),
    ],
    [
      { alertname: "KubeStatefulSetReplicasMismatch", namespace: "data", statefulset: "zk" },
      "Diagnose",
      T("StatefulSet", "zk", "data"),
    ],
    [
      { alertname: "KubeDaemonSetRolloutStuck", namespace: "kube-system", daemonset: "fluentd" },
      "Diagnose",
      T("DaemonSet", "fluentd", "kube-system"),
    ],
    [
      { alertname: "KubeJobFailed", namespace: "batch", job_name: "import-42" },
      "Diagnose",
      T("Job", "import-42", "batch"),
    ],
    [
      { alertname: "KubeHpaMaxedOut", namespace: "web", horizontalpodautoscaler: "api" },
      "Diagnose",
      T("HorizontalPodAutoscaler", "api", "web"),
    ],
    [
      { alertname: "KubePersistentVolumeFillingUp", namespace: "data", persistentvolumeclaim: "pg-data" },
      "Diagnose",
      T("PersistentVolumeClaim", "pg-data", "data"),
    ],
    [{ alertname: "KubeNodeNotReady", node: "node-b" }, "Diagnose", T("Node", "node-b")],
    [
      {
        alertname: "NodeFilesystemSpaceFillingUp",
        instance: "ip-10-0-1-5.ec2.internal:9100",
        job: "node-exporter",
      },
      "Diagnose",
      T("Node", "ip-10-0-1-5.ec2.internal"),
    ],
    [
      { alertname: "NodeFilesystemSpaceFillingUp", instance: "10.0.1.5:9100", job: "node-exporter" },
      "Diagnose",
      undefined,
    ],
    [
      { alertname: "KubeQuotaExceeded", namespace: "team-a", resourcequota: "compute" },
      "Diagnose",
      T("ResourceQuota", "compute", "team-a"),
    ],
    [
      { alertname: "HighErrorRate", namespace: "shop", service: "checkout", job: "checkout-metrics" },
      "Diagnose",
      T("Service", "checkout", "shop"),
    ],
    [{ alertname: "Watchdog" }, "HealthCheck", undefined],
    [{ alertname: "KubeCPUOvercommit" }, "HealthCheck", undefined],
    [{ alertname: "KubeContainerWaiting", namespace: "shop" }, "Diagnose", T("Namespace", "shop")],
  ];
  for (const [labels, type, target] of cases) {
    it(`${labels.alertname} ${JSON.stringify(target) ?? ""} → ${type}`, () => {
      const c = alert(labels);
      expect(c.type).toBe(type);
      expect(c.target).toEqual(target);
    });
  }

  it("trusts a known alertname more than an unknown one", () => {
    const known = alert({ alertname: "KubePodNotReady", namespace: "a", pod: "p-1" });
    const unknown = alert({ alertname: "MyTeamAlert", namespace: "a", pod: "p-1" });
    expect(known.confidence).toBeGreaterThan(unknown.confidence);
    expect(unknown).toMatchObject({ type: "Diagnose", unsure: false });
  });

  it("falls back to the annotations' text for the target when the labels name nothing", () => {
    const c = alert(
      { alertname: "SlowCheckout", namespace: "shop" },
      { summary: "deployment checkout p99 latency above 2s" },
    );
    expect(c.target).toEqual(T("Deployment", "checkout", "shop"));
  });

  it("keeps a namespace only when it is a DNS label", () => {
    expect(alert({ alertname: "KubePodNotReady", namespace: "Bad_NS", pod: "p-1" }).target).toEqual(
      T("Pod", "p-1"),
    );
  });
});
