import type { Command } from "../command.ts";
import { diagnoseCommand } from "./diagnose.ts";
import { operatorCommand } from "./operator.ts";
import { sidecarCommand } from "./sidecar.ts";
import { versionCommand } from "./version.ts";

/** Every `aisre` subcommand, in the order `aisre --help` lists them. */
export const commands: readonly Command[] = [
  operatorCommand,
  versionCommand,
  diagnoseCommand,
  sidecarCommand,
];
