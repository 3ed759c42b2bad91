/**
 * EC2's own dry run: the same call with DryRun=true. EC2 answers with an error either way:
 * DryRunOperation means the call would have succeeded, UnauthorizedOperation that the
 * credentials may not make it.
 */
import type { DryRunResult } from "../action.ts";
import { errorName } from "./instances.ts";

/** Sends a DryRun=true request and reads EC2's verdict. */
export async function ec2DryRun(send: () => Promise<unknown>, what: string): Promise<DryRunResult> {
  try {
    await send();
    return { passed: false, message: `EC2 ignored DryRun for ${what}; not trusting it` };
  } catch (err) {
    const name = errorName(err);
    const message = err instanceof Error ? err.message : String(err);
    if (name === "DryRunOperation") return { passed: true, message: `EC2 accepts ${what} (DryRunOperation)` };
    if (name === "UnauthorizedOperation")
      return { passed: false, message: `EC2 refuses ${what}: not authorized: ${message}` };
    return { passed: false, message: `EC2 dry run of ${what} failed: ${name || "error"}: ${message}` };
  }
}
