/**
 * The instance checks every EC2 action makes before it acts: the instance exists, carries
 * the AgentConfig's allow tag, and is in the state the action starts from. A missing tag is
 * a refusal with a clear message, never an attempt.
 */
import type { Instance } from "@aws-sdk/client-ec2";
import { ActionFailedError } from "../action.ts";
import type { AllowTag, Ec2Access } from "./access.ts";
import { ec2Sdk } from "./sdk.ts";

/** An EC2 instance id. */
export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** The SDK error name, e.g. DryRunOperation or InvalidInstanceID.NotFound. */
export const errorName = (err: unknown): string =>
  String((err as { name?: unknown; Code?: unknown })?.name ?? "");

/** Reads one instance; undefined when EC2 does not know it. */
export async function describeInstance(access: Ec2Access, id: string): Promise<Instance | undefined> {
  const { DescribeInstancesCommand } = await ec2Sdk();
  try {
    const out = await access.client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === id);
  } catch (err) {
    if (errorName(err).startsWith("InvalidInstanceID")) return undefined;
    throw err;
  }
}

/** True when the instance carries the allow tag with its exact value. */
export const hasAllowTag = (instance: Instance, tag: AllowTag): boolean =>
  (instance.Tags ?? []).some((t) => t.Key === tag.key && t.Value === tag.value);

/** The instance state name: pending, running, stopping, stopped, shutting-down, terminated. */
export const stateOf = (instance: Instance | undefined): string => instance?.State?.Name ?? "unknown";

/** Reads the instance and refuses unless it exists and carries the allow tag. */
export async function allowedInstance(access: Ec2Access, id: string): Promise<Instance> {
  if (!INSTANCE_ID.test(id)) throw new ActionFailedError(`${id} is not an EC2 instance id`);
  const instance = await describeInstance(access, id);
  if (!instance) throw new ActionFailedError(`EC2 instance ${id} not found`);
  if (!hasAllowTag(instance, access.allowTag))
    throw new ActionFailedError(
      `EC2 instance ${id} lacks the allow tag ${access.allowTag.key}=${access.allowTag.value}; refusing to act on it`,
    );
  return instance;
}
