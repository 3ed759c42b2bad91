/**
 * The EC2 client and allow tag of an AgentConfig (tools.aws): region, optional endpoint
 * override (private endpoints, the loopback test server), and credentials from the Secret it
 * names, or the pod's own identity (IRSA) when it names none. Credentials are never logged.
 */
import type { EC2Client, EC2ClientConfig } from "@aws-sdk/client-ec2";
import type { CoreV1Api } from "@kubernetes/client-node";
import type { AgentConfigSpec } from "../../../crds/agentconfig.ts";
import { ec2Sdk } from "./sdk.ts";

/** The tag an instance must carry before any EC2 action touches it. */
export interface AllowTag {
  key: string;
  value: string;
}

/** What EC2 actions need: a client (only `send` is used, so tests can wrap it) and the allow tag. */
export interface Ec2Access {
  client: Pick<EC2Client, "send">;
  allowTag: AllowTag;
}

/** tools.aws of an AgentConfig. */
export type AwsToolConfig = NonNullable<NonNullable<AgentConfigSpec["tools"]>["aws"]>;

/** Static credentials as the SDK takes them. */
export type Ec2Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The accepted key names per credential field: the CRD documents the AWS_* names. */
const KEYS = {
  accessKeyId: ["AWS_ACCESS_KEY_ID", "accessKeyId"],
  secretAccessKey: ["AWS_SECRET_ACCESS_KEY", "secretAccessKey"],
  sessionToken: ["AWS_SESSION_TOKEN", "sessionToken"],
} as const;

/** Decoded credentials from a Secret's data (base64 values); throws naming the missing key, never a value. */
export function credentialsFromSecretData(
  data: Record<string, string> | undefined,
  secret: string,
): Ec2Credentials {
  const read = (names: readonly string[]) => {
    const key = names.find((k) => data?.[k] !== undefined);
    return key ? Buffer.from(data![key]!, "base64").toString("utf8").trim() : undefined;
  };
  const accessKeyId = read(KEYS.accessKeyId);
  const secretAccessKey = read(KEYS.secretAccessKey);
  if (!accessKeyId || !secretAccessKey)
    throw new Error(`Secret ${secret} needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`);
  const sessionToken = read(KEYS.sessionToken);
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** An EC2 client for a region, an optional endpoint override and optional static credentials. */
export async function createEc2Client(options: {
  region: string;
  endpoint?: string;
  credentials?: Ec2Credentials;
}): Promise<EC2Client> {
  const { EC2Client } = await ec2Sdk();
  const config: EC2ClientConfig = { region: options.region, maxAttempts: 3 };
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  return new EC2Client(config);
}

/** EC2 access for an AgentConfig; rejects when tools.aws or its allowTag is missing (EC2 stays off). */
export async function ec2AccessFromAgentConfig(
  core: CoreV1Api,
  agentConfig: { metadata?: { namespace?: string }; spec?: AgentConfigSpec },
): Promise<Ec2Access> {
  const aws = agentConfig.spec?.tools?.aws;
  if (!aws) throw new Error("EC2 is not configured: the AgentConfig has no tools.aws");
  if (!aws.allowTag) throw new Error("EC2 is off: the AgentConfig names no tools.aws.allowTag");
  let credentials: Ec2Credentials | undefined;
  const ref = aws.credentialsSecretRef?.name;
  if (ref) {
    const namespace = agentConfig.metadata?.namespace ?? "default";
    const secret = await core.readNamespacedSecret({ name: ref, namespace });
    credentials = credentialsFromSecretData(secret.data, `${namespace}/${ref}`);
  }
  return {
    client: await createEc2Client({ region: aws.region, endpoint: aws.endpoint, credentials }),
    allowTag: aws.allowTag,
  };
}
