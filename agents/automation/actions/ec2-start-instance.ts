/** Ec2StartInstance: start an EC2 instance carrying the AgentConfig's allow tag (EC2 DryRun for the dry run). */
import type { Action } from "../action.ts";
import { ec2InstanceAction } from "./ec2-instance.ts";

export const ec2StartInstance: Action = ec2InstanceAction("Ec2StartInstance", "start");
