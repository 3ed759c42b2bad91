/**
 * The AWS EC2 SDK, loaded on first use: it costs about 90 MiB of RSS, and most operators
 * never run an EC2 action (docs/scaling.md, idle memory).
 */
import type * as Ec2 from "@aws-sdk/client-ec2";

type Ec2Sdk = typeof Ec2;

let sdk: Promise<Ec2Sdk> | undefined;

/** The EC2 SDK module, imported once. */
export function ec2Sdk(): Promise<Ec2Sdk> {
  sdk ??= import("@aws-sdk/client-ec2");
  return sdk;
}
