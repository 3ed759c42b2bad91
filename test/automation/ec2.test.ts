/**
 * The EC2 actions against a real EC2-protocol server: moto's server on a loopback port,
 * started by hack/moto.sh in a state dir of its own. Under CI=true a missing python3/moto
 * fails the suite; elsewhere it skips with one line saying how to get it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionFailedError } from "../../agents/automation/action.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import { createActionContext } from "../../agents/automation/context.ts";
import { createEc2Client } from "../../agents/automation/ec2/access.ts";
import type { Ec2Access } from "../../agents/automation/ec2/access.ts";
import { controlPlane, useNamespace } from "../support/cluster.ts";
import { silent, step, useAutomationIdentity, verifyUntilDone } from "./support.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const ns = useNamespace(cluster, "auto-ec2");
const id = useAutomationIdentity(cluster, { roleNamespace: ns.name });
const ALLOW = { key: "aisre.io/allow", value: "yes" };
const CREDS = { accessKeyId: "testing", secretAccessKey: "testing" };
const REGION = "us-east-1";

const moto = { url: "", dir: mkdtempSync(join(tmpdir(), "aisre-moto-test-")) };
const motoEnv = () => ({ ...process.env, AISRE_MOTO_DIR: moto.dir });
const instances = { tagged: "", untagged: "" };

beforeAll(async () => {
  try {
    await run("bash", ["hack/moto.sh", "start"], { env: motoEnv(), timeout: 170_000 });
    moto.url = (await run("bash", ["hack/moto.sh", "url"], { env: motoEnv() })).stdout.trim();
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim().split("\n").at(-1) ?? String(err);
    if (process.env.CI === "true")
      throw new Error(`moto server unavailable under CI: ${why}`, { cause: err });
    console.warn(
      `skipped: no EC2 test server (${why}); run 'bash hack/moto.sh install' (needs python3 and PyPI)`,
    );
    return;
  }
  const client = await createEc2Client({ region: REGION, endpoint: moto.url, credentials: CREDS });
  const image = (await client.send(new DescribeImagesCommand({}))).Images?.[0]?.ImageId ?? "ami-12c6146b";
  const launch = async (tags: { Key: string; Value: string }[]) => {
    const out = await client.send(
      new RunInstancesCommand({
        ImageId: image,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: "t3.micro",
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "aisre-test" }, ...tags] },
        ],
      }),
    );
    return out.Instances![0]!.InstanceId!;
  };
  instances.tagged = await launch([{ Key: ALLOW.key, Value: ALLOW.value }]);
  instances.untagged = await launch([{ Key: ALLOW.key, Value: "no" }]);
}, 180_000);

afterAll(async () => {
  await run("bash", ["hack/moto.sh", "stop"], { env: motoEnv() }).catch(() => undefined);
  rmSync(moto.dir, { recursive: true, force: true });
});

/** The AgentConfig the production path reads: tools.aws with the endpoint override, Secret and allow tag. */
const agentConfig = () => ({
  metadata: { namespace: ns.name },
  spec: {
    tools: {
      aws: { region: REGION, endpoint: moto.url, credentialsSecretRef: { name: "aws" }, allowTag: ALLOW },
    },
  },
});

/** A context resolving EC2 access the production way (Secret read as the automation identity) when a cluster is up. */
async function ec2Context() {
  if (cluster) {
    await cluster.core
      .createNamespacedSecret({
        namespace: ns.name,
        body: {
          metadata: { name: "aws" },
          stringData: { AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey },
        },
      })
      .catch(() => undefined);
    return createActionContext(id.kc, { agentConfig: agentConfig(), log: silent });
  }
  const access: Ec2Access = {
    client: await createEc2Client({ region: REGION, endpoint: moto.url, credentials: CREDS }),
    allowTag: ALLOW,
  };
  return createActionContext(new k8s.KubeConfig(), { ec2: async () => access, log: silent });
}

async function stateOf(instance: string): Promise<string | undefined> {
  const client = await createEc2Client({ region: REGION, endpoint: moto.url, credentials: CREDS });
  const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [instance] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

const target = (name: string) => ({ kind: "Ec2Instance", name });

describe("EC2 actions against moto's EC2 server on loopback", () => {
  it("Ec2StopInstance: DryRun passes and changes nothing, execute stops, verify sees stopped, undo starts again", async (t) => {
    if (!moto.url) return t.skip();
    const ctx = await ec2Context();
    const stop = catalog.get("Ec2StopInstance")!;
    const s = step("Ec2StopInstance", target(instances.tagged));
    expect(await stop.preconditions(ctx, s)).toEqual([]);
    expect(await stop.blastRadius(ctx, s)).toEqual({ pods: [], instances: [instances.tagged] });
    expect(await stop.dryRun(ctx, s)).toEqual({
      passed: true,
      message: expect.stringContaining("DryRunOperation"),
    });
    expect(await stateOf(instances.tagged)).toBe("running");

    const done = await stop.execute(ctx, s);
    expect(done.undoState).toEqual({ instanceId: instances.tagged, previousState: "running" });
    expect(await verifyUntilDone(stop, ctx, s, done.undoState)).toMatchObject({
      ok: true,
      message: expect.stringContaining("stopped"),
    });
    await stop.undo(ctx, s, done.undoState);
    expect(await stateOf(instances.tagged)).toMatch(/pending|running/);
  });

  it("Ec2StartInstance: refuses a running instance, then starts a stopped one; undo stops it again", async (t) => {
    if (!moto.url) return t.skip();
    const ctx = await ec2Context();
    const start = catalog.get("Ec2StartInstance")!;
    const s = step("Ec2StartInstance", target(instances.tagged));
    expect(await start.preconditions(ctx, s)).toEqual([expect.stringContaining("start needs it stopped")]);
    const client = await createEc2Client({ region: REGION, endpoint: moto.url, credentials: CREDS });
    await client.send(new StopInstancesCommand({ InstanceIds: [instances.tagged] }));
    expect(await stateOf(instances.tagged)).toBe("stopped");

    expect(await start.preconditions(ctx, s)).toEqual([]);
    expect(await start.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await stateOf(instances.tagged)).toBe("stopped");
    const done = await start.execute(ctx, s);
    expect(await verifyUntilDone(start, ctx, s, done.undoState)).toMatchObject({ ok: true });
    expect(await stateOf(instances.tagged)).toBe("running");
    await start.undo(ctx, s, done.undoState);
    expect(await stateOf(instances.tagged)).toMatch(/stopping|stopped/);
    await verifyUntilDone(
      catalog.get("Ec2StopInstance")!,
      ctx,
      step("Ec2StopInstance", target(instances.tagged)),
      {},
    );
  });

  it("Ec2RebootInstance: DryRun, execute and verify running; a reboot has no undo", async (t) => {
    if (!moto.url) return t.skip();
    const ctx = await ec2Context();
    const reboot = catalog.get("Ec2RebootInstance")!;
    const s = step("Ec2RebootInstance", target(instances.tagged));
    expect(await reboot.preconditions(ctx, s)).toEqual([expect.stringContaining("reboot needs it running")]);
    await catalog.get("Ec2StartInstance")!.execute(ctx, step("Ec2StartInstance", target(instances.tagged)));
    expect(await stateOf(instances.tagged)).toBe("running");

    expect(await reboot.dryRun(ctx, s)).toMatchObject({ passed: true });
    const done = await reboot.execute(ctx, s);
    expect(await verifyUntilDone(reboot, ctx, s, done.undoState)).toMatchObject({ ok: true });
    expect(reboot.undoable).toBe(false);
    expect((await reboot.undo(ctx, s, done.undoState)).message).toContain("nothing to undo");
    expect(await stateOf(instances.tagged)).toBe("running");
  });

  it("refuses, before any request, an instance without the allow tag and one that does not exist", async (t) => {
    if (!moto.url) return t.skip();
    const ctx = await ec2Context();
    for (const name of ["Ec2RebootInstance", "Ec2StopInstance"] as const) {
      const action = catalog.get(name)!;
      const s = step(name, target(instances.untagged));
      expect(await action.preconditions(ctx, s)).toEqual([
        `EC2 instance ${instances.untagged} lacks the allow tag aisre.io/allow=yes; refusing to act on it`,
      ]);
      expect(await action.dryRun(ctx, s)).toMatchObject({
        passed: false,
        message: expect.stringContaining("lacks the allow tag"),
      });
      await expect(action.execute(ctx, s)).rejects.toBeInstanceOf(ActionFailedError);
    }
    // Undo checks the tag too: a stop's undo (a start) is refused on an untagged instance.
    const stop = step("Ec2StopInstance", target(instances.untagged));
    await expect(catalog.get("Ec2StopInstance")!.undo(ctx, stop, {})).rejects.toThrow(/lacks the allow tag/);
    expect(await stateOf(instances.untagged)).toBe("running");
    const ghost = step("Ec2StopInstance", target("i-0123456789abcdef0"));
    expect(await catalog.get("Ec2StopInstance")!.preconditions(ctx, ghost)).toEqual([
      "EC2 instance i-0123456789abcdef0 not found",
    ]);
    const notAnId = step("Ec2StopInstance", target("web-1"));
    expect(await catalog.get("Ec2StopInstance")!.preconditions(ctx, notAnId)).toEqual([
      "web-1 is not an EC2 instance id",
    ]);
  });
});
