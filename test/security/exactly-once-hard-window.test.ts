/**
 * Exactly-once in the hard window (docs/adr/0003-exactly-once-remediation.md): the operator is
 * SIGKILLed BETWEEN a step's `Running` write (the fence) and its result write, on the real
 * control plane and moto's EC2 server. Nothing in production code is hooked: the first
 * operator talks to the API server (and to EC2) through a holding proxy
 * (test/support/holding-proxy.ts) that holds the step's mutating request, so the fence is
 * written and execute is waiting on the wire when the process dies. Two rounds:
 *   - "before": the request is held before the upstream sees it (then dropped, never sent);
 *   - "after": the upstream applied it and the response is held (the hardest case: the
 *     change happened, the operator never learnt it).
 * A second operator, straight to the API server, then finishes each plan. Each round runs
 * four plans at once (the controller's four workers): ScaleWorkload and RolloutUndo (recovery
 * `observe`), DrainNode on its own kwok node and Ec2StopInstance on a moto instance (recovery
 * `none`). Two more cases: a RolloutUndo whose patch rewrites the rolled-back-from mark it
 * found (the observer must see the moved template), and RolloutRestart (recovery `none`) in
 * both sub-cases at once.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { catalog } from "../../agents/automation/catalog.ts";
import { createActionContext } from "../../agents/automation/context.ts";
import { createEc2Client } from "../../agents/automation/ec2/access.ts";
import type { RemediationPlan } from "../../crds/index.ts";
import { createKwokNode, silent } from "../automation/support.ts";
import {
  agentConfig,
  approveWithKubectl,
  handPlan,
  kubectlApply,
  readPlan,
  waitForPlan,
} from "../remediation/support.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { kubeUpstream, proxyKubeconfig, startHoldingProxy } from "../support/holding-proxy.ts";
import type { HoldingProxy, ProxiedRequest } from "../support/holding-proxy.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);

const ALLOW = { key: "aisre.io/allow", value: "yes" };
const CREDS = { accessKeyId: "testing", secretAccessKey: "testing" };
const REGION = "us-east-1";
const TAINT = "aisre.io/hard-window";
const FINAL = ["Succeeded", "Failed", "RolledBack", "Rejected"];
const ROLLED_BACK_FROM = "aisre.io/rolled-back-from";
/** Generous under a loaded 2-core machine: every wait is on a condition, never a fixed sleep. */
const WAIT = 180_000;

/** Path without the query string; a request is "real" (not a dry run) without dryRun=. */
const pathOf = (q: ProxiedRequest) => q.path.split("?")[0]!;
const real = (q: ProxiedRequest) => !q.path.includes("dryRun=");

describe("exactly-once in the hard window: kill -9 between the Running write and the result write", () => {
  const ns = useNamespace(cluster, "hard");
  const ops: OperatorProcess[] = [];
  const nodes: string[] = [];
  const moto = { url: "", dir: mkdtempSync(join(tmpdir(), "aisre-moto-hard-")) };
  const motoEnv = () => ({ ...process.env, AISRE_MOTO_DIR: moto.dir });
  let ec2Proxy: HoldingProxy | undefined;
  let kubeProxy: HoldingProxy | undefined;
  const apps = () => cluster!.kc.makeApiClient(AppsV1Api);
  const ec2 = () => createEc2Client({ region: REGION, endpoint: moto.url, credentials: CREDS });

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    try {
      await run("bash", ["hack/moto.sh", "start"], { env: motoEnv(), timeout: 170_000 });
      moto.url = (await run("bash", ["hack/moto.sh", "url"], { env: motoEnv() })).stdout.trim();
    } catch (err) {
      const why = (err as { stderr?: string }).stderr?.trim().split("\n").at(-1) ?? String(err);
      if (process.env.CI === "true")
        throw new Error(`moto server unavailable under CI: ${why}`, { cause: err });
      console.warn(`EC2 part skipped: no EC2 test server (${why}); run 'bash hack/moto.sh install'`);
    }
    const aws = moto.url ? await useEc2() : undefined;
    const enabled = [
      "ScaleWorkload",
      "RolloutUndo",
      "RolloutRestart",
      "DrainNode",
      ...(aws ? ["Ec2StopInstance"] : []),
    ];
    const config = agentConfig(ns.name, {
      enabledActions: enabled,
      // A Node is cluster-scoped: only an AgentConfig trusted with every namespace may drain one.
      allowedNamespaces: ["*"],
    });
    if (aws) config.spec.tools = { aws } as NonNullable<typeof config.spec.tools>;
    // Where the policy has clusterGrants (docs/adr/0006-cluster-policy.md), Node and EC2 actions
    // need one; this namespace's AgentConfig is the cluster policy of its namespace operator.
    if (await policyHasClusterGrants()) {
      const grant = { namespaces: [ns.name], actions: enabled.filter((a) => /^(Drain|Ec2)/.test(a)) };
      (config.spec.policy as Record<string, unknown>).clusterGrants = [grant];
    }
    await kubectlApply(cluster, config);
  }, 240_000);

  /**
   * Approves with the remediation suites' helper; where the approval admission policy wants the
   * approver's own username in spec.approval.decidedBy and the helper does not set it yet, sets it.
   */
  async function approve(name: string): Promise<void> {
    try {
      await approveWithKubectl(cluster!, ns.name, name);
      return;
    } catch (err) {
      if (!String(err).includes("decidedBy")) throw err;
    }
    const who = await kubectl(cluster!, ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
    if (who.code !== 0) throw new Error(`kubectl auth whoami failed: ${who.stderr}`);
    const patch = { spec: { approval: { decision: "Approved", decidedBy: who.stdout.trim() } } };
    const r = await kubectl(cluster!, [
      ...["-n", ns.name, "patch", "remediationplan", name],
      ...["--type", "merge", "-p", JSON.stringify(patch)],
    ]);
    if (r.code !== 0) throw new Error(`kubectl patch failed: ${r.stderr}`);
  }

  /** Whether the served AgentConfig schema knows policy.clusterGrants. */
  async function policyHasClusterGrants(): Promise<boolean> {
    const crd = await kubectl(cluster!, ["get", "crd", "agentconfigs.aisre.io", "-o", "json"]);
    if (crd.code !== 0) throw new Error(`kubectl get crd failed: ${crd.stderr}`);
    type Props = { properties?: Record<string, Props> };
    const versions = (
      JSON.parse(crd.stdout) as { spec: { versions: { schema: { openAPIV3Schema: Props } }[] } }
    ).spec.versions;
    return versions.some(
      (v) =>
        v.schema.openAPIV3Schema.properties?.spec?.properties?.policy?.properties?.clusterGrants !==
        undefined,
    );
  }

  /** Every EC2 call of both operators goes through ec2Proxy (the AgentConfig's endpoint): it counts them. */
  async function useEc2() {
    ec2Proxy = await startHoldingProxy({ url: moto.url });
    await cluster!.core.createNamespacedSecret({
      namespace: ns.name,
      body: {
        metadata: { name: "aws" },
        stringData: { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey },
      },
    });
    return { region: REGION, endpoint: ec2Proxy.url, credentialsSecretRef: { name: "aws" }, allowTag: ALLOW };
  }

  afterAll(async () => {
    // Proxies first: an operator waiting on a held exchange then sees it fail and can stop.
    await kubeProxy?.close();
    await ec2Proxy?.close();
    for (const op of ops) await stopOperator(op);
    for (const name of nodes) await cluster?.core.deleteNode({ name }).catch(() => undefined);
    await run("bash", ["hack/moto.sh", "stop"], { env: motoEnv() }).catch(() => undefined);
    rmSync(moto.dir, { recursive: true, force: true });
  }, 120_000);

  const readDeployment = (name: string) => apps().readNamespacedDeployment({ name, namespace: ns.name });

  /** Waits until every replica of the Deployment runs its current template. */
  const rolledOut = (name: string) =>
    eventually(async () => {
      const d = await readDeployment(name);
      const want = d.spec?.replicas ?? 1;
      const s = d.status;
      return (
        (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
        s?.updatedReplicas === want &&
        s?.availableReplicas === want &&
        (s?.replicas ?? 0) === want &&
        d
      );
    }, WAIT);

  const podsOf = async (app: string): Promise<V1Pod[]> =>
    (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` })).items;

  const instanceState = async (id: string) =>
    (await (await ec2()).send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]
      ?.Instances?.[0]?.State?.Name;

  /** The targets of one round: fresh objects, so each round starts from the same state. */
  async function targets(r: string) {
    const scale = `${r}-scale`;
    await apps().createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment(scale, { replicas: 1 }),
    });
    // RolloutUndo needs history: v1, then v2 rolled out.
    const undo = `${r}-undo`;
    await apps().createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment(undo, { replicas: 1 }),
    });
    await rolledOut(undo);
    const v2 = kwokDeployment(undo, { replicas: 1, image: `registry.example.com/shop/${undo}:v2` });
    await apps().replaceNamespacedDeployment({ name: undo, namespace: ns.name, body: v2 });
    const undone = await rolledOut(undo);
    const v2ReplicaSet = await eventually(async () => {
      const rs = await apps().listNamespacedReplicaSet({ namespace: ns.name, labelSelector: `app=${undo}` });
      return rs.items.find((x) => x.spec?.template?.spec?.containers[0]?.image?.endsWith(":v2"))?.metadata
        ?.name;
    }, WAIT);
    // DrainNode on a kwok node of its own; the taint keeps every other pod off it.
    const node = `aisre-hard-${r}-${randomBytes(3).toString("hex")}`;
    nodes.push(node);
    await createKwokNode(cluster!, node);
    const tainted = await kubectl(cluster!, ["taint", "nodes", node, `${TAINT}=drain:NoSchedule`]);
    if (tainted.code !== 0) throw new Error(`kubectl taint failed: ${tainted.stderr}`);
    const drain = `${r}-drain`;
    const drainBody: V1Deployment = kwokDeployment(drain, { replicas: 2, node });
    drainBody.spec!.template.spec!.tolerations = [{ key: TAINT, operator: "Exists", effect: "NoSchedule" }];
    await apps().createNamespacedDeployment({ namespace: ns.name, body: drainBody });
    await rolledOut(drain);
    const drainPods = await eventually(async () => {
      const pods = await podsOf(drain);
      return pods.length === 2 && pods.every((p) => p.spec?.nodeName === node) && pods;
    }, WAIT);
    const scaled = await rolledOut(scale);
    let instance: string | undefined;
    if (moto.url) {
      const image =
        (await (await ec2()).send(new DescribeImagesCommand({}))).Images?.[0]?.ImageId ?? "ami-12c6146b";
      const out = await (
        await ec2()
      ).send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: "t3.micro",
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: ALLOW.key, Value: ALLOW.value }] }],
        }),
      );
      instance = out.Instances![0]!.InstanceId!;
      expect(await instanceState(instance)).toBe("running");
    }
    return {
      scale: { name: scale, generation: scaled.metadata!.generation! },
      undo: { name: undo, generation: undone.metadata!.generation!, v2ReplicaSet },
      drain: { name: drain, node, uids: drainPods.map((p) => p.metadata!.uid!) },
      instance,
    };
  }

  type Where = "request" | "response";

  /**
   * One round: targets, four plans approved through an operator behind the holding proxy,
   * SIGKILL once all four mutating exchanges are held, a second operator straight to the API
   * server, every plan final. Returns what the assertions need.
   */
  async function round(where: Where) {
    const r = where === "request" ? "pre" : "post";
    const t = await targets(r);
    const deployments = `/apis/apps/v1/namespaces/${ns.name}/deployments`;
    const isScale = (q: ProxiedRequest) =>
      q.method === "PATCH" && pathOf(q) === `${deployments}/${t.scale.name}/scale` && real(q);
    const isUndo = (q: ProxiedRequest) =>
      q.method === "PATCH" && pathOf(q) === `${deployments}/${t.undo.name}` && real(q);
    const isCordon = (q: ProxiedRequest) =>
      q.method === "PATCH" && pathOf(q) === `/api/v1/nodes/${t.drain.node}` && real(q);
    const isEviction = (q: ProxiedRequest) =>
      q.method === "POST" &&
      new RegExp(`^/api/v1/namespaces/${ns.name}/pods/${t.drain.name}-[^/]+/eviction$`).test(pathOf(q)) &&
      real(q);
    const isStop = (q: ProxiedRequest) =>
      !!t.instance &&
      q.body.includes("Action=StopInstances") &&
      q.body.includes(t.instance) &&
      !q.body.includes("DryRun=true");

    kubeProxy = await startHoldingProxy(await kubeUpstream(cluster!.kc));
    const kube = kubeProxy;
    kube.hold({ name: `${r}-scale`, hold: where, match: isScale });
    kube.hold({ name: `${r}-undo`, hold: where, match: isUndo });
    // Before: the cordon itself never reaches the API server. After: cordoned, and the first
    // eviction applied (a pod is gone) with its answer held.
    kube.hold({ name: `${r}-drain`, hold: where, match: where === "request" ? isCordon : isEviction });
    ec2Proxy?.hold({ name: `${r}-stop`, hold: where, match: isStop });

    const first = await startNamespaceOperator(cluster!, ns.name, { KUBECONFIG: proxyKubeconfig(kube) });
    ops.push(first);
    const ref = (kind: string, name: string, namespace?: string) => ({
      kind,
      name,
      ...(namespace ? { namespace } : {}),
    });
    const plans: Array<[string, RemediationPlan["spec"]["steps"][number]]> = [
      [
        `${r}-scale`,
        {
          name: "act",
          action: "ScaleWorkload",
          target: ref("Deployment", t.scale.name, ns.name),
          params: { replicas: 3 },
        },
      ],
      [`${r}-undo`, { name: "act", action: "RolloutUndo", target: ref("Deployment", t.undo.name, ns.name) }],
      [`${r}-drain`, { name: "act", action: "DrainNode", target: ref("Node", t.drain.node) }],
    ];
    if (t.instance)
      plans.push([
        `${r}-stop`,
        { name: "act", action: "Ec2StopInstance", target: ref("Ec2Instance", t.instance) },
      ]);
    await Promise.all(
      plans.map(async ([name, step]) => {
        await kubectlApply(cluster!, handPlan(ns.name, name, [step]));
        const waiting = await waitForPlan(cluster!, ns.name, name, ["AwaitingApproval", ...FINAL], WAIT);
        expect(waiting.status?.phase, `${name}: ${waiting.status?.message}`).toBe("AwaitingApproval");
        await approve(name);
      }),
    );

    // The window, for real: the fence is written and execute's mutating exchange is on hold.
    await Promise.all(
      plans.map(([name]) => (name.endsWith("-stop") ? ec2Proxy! : kube).waitForHeld(name, WAIT)),
    ).catch(async (err: unknown) => {
      const states = await Promise.all(plans.map(([name]) => readPlan(cluster!, ns.name, name)));
      const show = states.map(
        (p) => `${p.metadata.name}: ${JSON.stringify(p.status?.steps ?? p.status?.message)}`,
      );
      const tail = first.logs.slice(-15).map((l) => JSON.stringify(l));
      throw new Error([String(err), ...show, "operator:", ...tail].join("\n"), { cause: err });
    });
    const fenced = await Promise.all(plans.map(([name]) => readPlan(cluster!, ns.name, name)));
    for (const p of fenced) {
      expect(p.status?.phase, p.metadata.name).toBe("Running");
      const s = p.status?.steps?.[0];
      expect(s, p.metadata.name).toMatchObject({ phase: "Running", attempt: 1 });
      expect(s?.executedAt, p.metadata.name).toBeUndefined();
    }
    first.proc.kill("SIGKILL");
    expect(await first.exited).toBe(137);
    // A held request is dropped with its client, a held response is never delivered.
    const held = [...kube.held, ...(ec2Proxy?.held ?? [])].filter((h) => h.rule.startsWith(`${r}-`));
    expect(held).toHaveLength(plans.length);
    await eventually(async () => held.every((h) => h.dropped), 30_000);
    for (const h of held) expect(h.status === undefined).toBe(where === "request");
    if (where === "response") for (const h of held) expect(h.status, h.rule).toBeLessThan(300);
    const atKill = {
      scale: await readDeployment(t.scale.name),
      undo: await readDeployment(t.undo.name),
      cordoned: (await cluster!.core.readNode({ name: t.drain.node })).spec?.unschedulable === true,
      instance: t.instance ? await instanceState(t.instance) : undefined,
    };
    await kube.close();
    kubeProxy = undefined;

    const second = await startNamespaceOperator(cluster!, ns.name);
    ops.push(second);
    const done = new Map<string, RemediationPlan>();
    await Promise.all(
      plans.map(async ([name]) => done.set(name, await waitForPlan(cluster!, ns.name, name, FINAL, WAIT))),
    );
    await stopOperator(second);
    const logs = (op: OperatorProcess, msg: string) => op.logs.filter((l) => l.msg === msg).length;
    return {
      r,
      t,
      first,
      second,
      logs,
      done,
      atKill,
      kube,
      count: (match: (q: ProxiedRequest) => boolean, proxy: HoldingProxy | undefined = kube) =>
        proxy?.forwarded.filter(match).length ?? 0,
      isScale,
      isUndo,
      isCordon,
      isEviction,
      isStop,
    };
  }

  const interrupted = (action: string, check: string) =>
    new RegExp(`^interrupted; state unknown: .*${action}.*; check by hand: ${check}`);

  it("killed before the mutating request reached the API server / EC2: observed steps run once on re-fence, the rest fail for a person", async () => {
    const x = await round("request");
    const { t, done, first, second, logs } = x;
    // Nothing was applied at the kill.
    expect(x.count(x.isScale) + x.count(x.isUndo) + x.count(x.isCordon) + x.count(x.isEviction)).toBe(0);
    expect(x.atKill.scale.metadata?.generation).toBe(t.scale.generation);
    expect(x.atKill.undo.metadata?.generation).toBe(t.undo.generation);
    expect(x.atKill.cordoned).toBe(false);

    // ScaleWorkload (observe): replicas unchanged → fenced again (attempt 2) and executed once.
    const scale = done.get(`${x.r}-scale`)!;
    expect(scale.status?.phase, scale.status?.message).toBe("Succeeded");
    expect(scale.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      attempt: 2,
      undoState: { replicas: 1 },
    });
    const scaled = await readDeployment(t.scale.name);
    expect(scaled.spec?.replicas).toBe(3);
    expect(scaled.metadata?.generation).toBe(t.scale.generation + 1);
    expect(logs(first, "Scaled workload")).toBe(0);
    expect(logs(second, "Scaled workload")).toBe(1);

    // RolloutUndo (observe): annotation unchanged → fenced again and rolled back once, to v1.
    const undo = done.get(`${x.r}-undo`)!;
    expect(undo.status?.phase, undo.status?.message).toBe("Succeeded");
    expect(undo.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      attempt: 2,
      undoState: { fromRevisionName: t.undo.v2ReplicaSet },
    });
    const undone = await readDeployment(t.undo.name);
    expect(undone.metadata?.generation).toBe(t.undo.generation + 1);
    expect(undone.spec?.template?.spec?.containers[0]?.image).toMatch(/:v1$/);
    expect(undone.metadata?.annotations?.[ROLLED_BACK_FROM]).toBe(t.undo.v2ReplicaSet);
    expect(logs(second, "Rolled back workload")).toBe(1);

    // DrainNode (none): the step fails for a person, even though nothing happened; never re-run.
    const drain = done.get(`${x.r}-drain`)!;
    expect(drain.status?.phase).toBe("Failed");
    expect(drain.status?.steps?.[0]).toMatchObject({
      phase: "Failed",
      attempt: 1,
      message: expect.stringMatching(interrupted("DrainNode", "whether the node is cordoned")),
    });
    expect(drain.status?.message).toContain("state unknown");
    expect((await cluster!.core.readNode({ name: t.drain.node })).spec?.unschedulable).toBeFalsy();
    const left = (await podsOf(t.drain.name)).map((p) => p.metadata?.uid);
    expect(left.sort()).toEqual([...t.drain.uids].sort());
    expect(logs(second, "Cordoned node for drain") + logs(second, "Evicted pods from node")).toBe(0);

    // Ec2StopInstance (none): no StopInstances ever reached moto; the instance still runs.
    if (t.instance) {
      const stop = done.get(`${x.r}-stop`)!;
      expect(stop.status?.phase).toBe("Failed");
      expect(stop.status?.steps?.[0]).toMatchObject({
        phase: "Failed",
        attempt: 1,
        message: expect.stringMatching(interrupted("Ec2StopInstance", "the instance's state")),
      });
      expect(x.count(x.isStop, ec2Proxy)).toBe(0);
      expect(await instanceState(t.instance)).toBe("running");
      expect(logs(second, "Sent EC2 instance request")).toBe(0);
    }
  }, 600_000);

  it("killed after the API server / EC2 applied the request, before the result write: observed steps are recognised as done, never re-run; the rest fail for a person", async () => {
    const x = await round("response");
    const { t, done, first, second, logs } = x;
    // Each mutating request reached its upstream exactly once and was applied before the kill.
    expect(x.count(x.isScale)).toBe(1);
    expect(x.count(x.isUndo)).toBe(1);
    expect(x.count(x.isCordon)).toBe(1);
    expect(x.count(x.isEviction)).toBe(1);
    expect(x.atKill.scale.spec?.replicas).toBe(3);
    expect(x.atKill.scale.metadata?.generation).toBe(t.scale.generation + 1);
    expect(x.atKill.undo.metadata?.generation).toBe(t.undo.generation + 1);
    expect(x.atKill.cordoned).toBe(true);

    // ScaleWorkload (observe): replicas moved 1 → 3 → it ran; verified with attempt 1, no second scale.
    const scale = done.get(`${x.r}-scale`)!;
    expect(scale.status?.phase, scale.status?.message).toBe("Succeeded");
    expect(scale.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      attempt: 1,
      undoState: { replicas: 1 },
    });
    expect((await readDeployment(t.scale.name)).metadata?.generation).toBe(t.scale.generation + 1);
    expect(logs(first, "Scaled workload") + logs(second, "Scaled workload")).toBe(0);

    // RolloutUndo (observe): a new rolled-back-from annotation → it ran; verified, not rolled back again.
    const undo = done.get(`${x.r}-undo`)!;
    expect(undo.status?.phase, undo.status?.message).toBe("Succeeded");
    expect(undo.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      attempt: 1,
      undoState: { fromRevisionName: t.undo.v2ReplicaSet },
    });
    const undone = await readDeployment(t.undo.name);
    expect(undone.metadata?.generation).toBe(t.undo.generation + 1);
    expect(undone.spec?.template?.spec?.containers[0]?.image).toMatch(/:v1$/);
    expect(logs(first, "Rolled back workload") + logs(second, "Rolled back workload")).toBe(0);

    // DrainNode (none): cordoned and one pod evicted at the kill; the step fails for a person, the
    // drain is not resumed (no second eviction), and the message says what to check.
    const drain = done.get(`${x.r}-drain`)!;
    expect(drain.status?.phase).toBe("Failed");
    expect(drain.status?.steps?.[0]).toMatchObject({
      phase: "Failed",
      attempt: 1,
      message: expect.stringMatching(interrupted("DrainNode", "whether the node is cordoned")),
    });
    expect((await cluster!.core.readNode({ name: t.drain.node })).spec?.unschedulable).toBe(true);
    const survivors = await eventually(async () => {
      const uids = (await podsOf(t.drain.name)).map((p) => p.metadata?.uid);
      const kept = t.drain.uids.filter((u) => uids.includes(u));
      return kept.length === 1 && kept;
    }, WAIT);
    expect(survivors).toHaveLength(1);
    expect(logs(second, "Cordoned node for drain") + logs(second, "Evicted pods from node")).toBe(0);

    // Ec2StopInstance (none): one StopInstances reached moto and stopped it; nothing re-sent.
    if (t.instance) {
      const stop = done.get(`${x.r}-stop`)!;
      expect(stop.status?.phase).toBe("Failed");
      expect(stop.status?.steps?.[0]).toMatchObject({
        phase: "Failed",
        attempt: 1,
        message: expect.stringMatching(interrupted("Ec2StopInstance", "the instance's state")),
      });
      expect(x.count(x.isStop, ec2Proxy)).toBe(1);
      expect(x.atKill.instance).toMatch(/stopping|stopped/);
      expect(await instanceState(t.instance)).toMatch(/stopping|stopped/);
      expect(logs(second, "Sent EC2 instance request")).toBe(0);
    }
  }, 600_000);

  it("RolloutUndo away from a revision it already rolled back from once (same annotation value), killed after the patch applied: recognised as done, not failed", async () => {
    // v1 → v2 → rolled back to v1 (mark: v2's ReplicaSet) → v2 deployed again (the mark stays).
    const name = "again";
    await apps().createNamespacedDeployment({
      namespace: ns.name,
      body: kwokDeployment(name, { replicas: 1 }),
    });
    await rolledOut(name);
    const setImage = async (tag: string) => {
      const image = `app=registry.example.com/shop/${name}:${tag}`;
      const r = await kubectl(cluster!, ["-n", ns.name, "set", "image", `deployment/${name}`, image]);
      if (r.code !== 0) throw new Error(`kubectl set image failed: ${r.stderr}`);
      return rolledOut(name);
    };
    await setImage("v2");
    const step: RemediationPlan["spec"]["steps"][number] = {
      name: "act",
      action: "RolloutUndo",
      target: { kind: "Deployment", namespace: ns.name, name },
    };
    const ctx = createActionContext(cluster!.kc, { log: silent });
    const first = await catalog.get("RolloutUndo")!.execute(ctx, step);
    await rolledOut(name);
    const deployedAgain = await setImage("v2");
    const mark = deployedAgain.metadata?.annotations?.[ROLLED_BACK_FROM];
    expect(mark).toBe(first.undoState?.fromRevisionName);
    const generation = deployedAgain.metadata!.generation!;

    const kube = (kubeProxy = await startHoldingProxy(await kubeUpstream(cluster!.kc)));
    const isUndo = (q: ProxiedRequest) =>
      q.method === "PATCH" &&
      pathOf(q) === `/apis/apps/v1/namespaces/${ns.name}/deployments/${name}` &&
      real(q);
    kube.hold({ name: "again", hold: "response", match: isUndo });
    const op = await startNamespaceOperator(cluster!, ns.name, { KUBECONFIG: proxyKubeconfig(kube) });
    ops.push(op);
    await kubectlApply(cluster!, handPlan(ns.name, "again", [step]));
    const waiting = await waitForPlan(cluster!, ns.name, "again", ["AwaitingApproval", ...FINAL], WAIT);
    expect(waiting.status?.phase, waiting.status?.message).toBe("AwaitingApproval");
    await approve("again");
    expect((await kube.waitForHeld("again", WAIT)).status).toBeLessThan(300);
    expect((await readPlan(cluster!, ns.name, "again")).status?.steps?.[0]).toMatchObject({
      phase: "Running",
      attempt: 1,
    });
    op.proc.kill("SIGKILL");
    expect(await op.exited).toBe(137);
    await kube.close();
    kubeProxy = undefined;
    // Applied: v1 again, and the same mark as before the plan.
    const applied = await readDeployment(name);
    expect(applied.metadata?.generation).toBe(generation + 1);
    expect(applied.metadata?.annotations?.[ROLLED_BACK_FROM]).toBe(mark);

    const second = await startNamespaceOperator(cluster!, ns.name);
    ops.push(second);
    const done = await waitForPlan(cluster!, ns.name, "again", FINAL, WAIT);
    await stopOperator(second);
    expect(done.status?.phase, done.status?.message).toBe("Succeeded");
    expect(done.status?.steps?.[0]).toMatchObject({
      phase: "Succeeded",
      attempt: 1,
      undoState: { fromRevisionName: mark },
    });
    const after = await readDeployment(name);
    expect(after.metadata?.generation).toBe(generation + 1);
    expect(after.spec?.template?.spec?.containers[0]?.image).toMatch(/:v1$/);
    expect(kube.forwarded.filter(isUndo)).toHaveLength(1);
    expect(second.logs.filter((l) => l.msg === "Rolled back workload")).toHaveLength(0);
  }, 600_000);

  it("RolloutRestart (recovery none), killed before and after the patch applied: never restarted twice, Failed for a person", async () => {
    const names = { request: "restart-pre", response: "restart-post" } as const;
    const generations: Record<string, number> = {};
    for (const name of Object.values(names)) {
      await apps().createNamespacedDeployment({
        namespace: ns.name,
        body: kwokDeployment(name, { replicas: 1 }),
      });
      generations[name] = (await rolledOut(name)).metadata!.generation!;
    }
    const restartedAt = async (name: string) =>
      (await readDeployment(name)).spec?.template?.metadata?.annotations?.[
        "kubectl.kubernetes.io/restartedAt"
      ];
    const kube = (kubeProxy = await startHoldingProxy(await kubeUpstream(cluster!.kc)));
    const isRestart = (name: string) => (q: ProxiedRequest) =>
      q.method === "PATCH" &&
      pathOf(q) === `/apis/apps/v1/namespaces/${ns.name}/deployments/${name}` &&
      real(q);
    for (const [where, name] of Object.entries(names) as [Where, string][])
      kube.hold({ name, hold: where, match: isRestart(name) });
    const op = await startNamespaceOperator(cluster!, ns.name, { KUBECONFIG: proxyKubeconfig(kube) });
    ops.push(op);
    await Promise.all(
      Object.values(names).map(async (name) => {
        const target = { kind: "Deployment", namespace: ns.name, name };
        await kubectlApply(
          cluster!,
          handPlan(ns.name, name, [{ name: "act", action: "RolloutRestart", target }]),
        );
        const waiting = await waitForPlan(cluster!, ns.name, name, ["AwaitingApproval", ...FINAL], WAIT);
        expect(waiting.status?.phase, waiting.status?.message).toBe("AwaitingApproval");
        await approve(name);
        await kube.waitForHeld(name, WAIT);
        expect((await readPlan(cluster!, ns.name, name)).status?.steps?.[0]).toMatchObject({
          phase: "Running",
          attempt: 1,
        });
      }),
    );
    op.proc.kill("SIGKILL");
    expect(await op.exited).toBe(137);
    await kube.close();
    kubeProxy = undefined;
    // At the kill: not restarted (request held) and restarted once (response held).
    expect(await restartedAt(names.request)).toBeUndefined();
    const stamped = await restartedAt(names.response);
    expect(stamped).toBeDefined();

    const second = await startNamespaceOperator(cluster!, ns.name);
    ops.push(second);
    for (const name of Object.values(names)) {
      const done = await waitForPlan(cluster!, ns.name, name, FINAL, WAIT);
      expect(done.status?.phase).toBe("Failed");
      expect(done.status?.steps?.[0]).toMatchObject({
        phase: "Failed",
        attempt: 1,
        message: expect.stringMatching(
          interrupted("RolloutRestart", "whether the pod template carries a new"),
        ),
      });
    }
    await stopOperator(second);
    expect(second.logs.filter((l) => l.msg === "Restarted workload")).toHaveLength(0);
    expect(kube.forwarded.filter(isRestart(names.request))).toHaveLength(0);
    expect(kube.forwarded.filter(isRestart(names.response))).toHaveLength(1);
    expect(await restartedAt(names.request)).toBeUndefined();
    expect(await restartedAt(names.response)).toBe(stamped);
    expect((await readDeployment(names.request)).metadata?.generation).toBe(generations[names.request]);
    expect((await readDeployment(names.response)).metadata?.generation).toBe(
      generations[names.response]! + 1,
    );
  }, 600_000);
});
