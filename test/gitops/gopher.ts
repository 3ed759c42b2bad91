/**
 * Runs a health script under gopher-lua, the interpreter Argo CD embeds, through the small Go
 * program in test/gitops/gopher-lua (the libraries, object decoding and result Argo CD's util/lua
 * uses). Built once per run with the Go toolchain that hack/control-plane.sh needs anyway.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HealthStatus } from "./lua.ts";

const SOURCE = join(import.meta.dirname, "gopher-lua");

/** True when a Go toolchain is on PATH. */
export function goAvailable(): boolean {
  return spawnSync("go", ["version"]).status === 0;
}

/** Builds the runner and returns its path. */
export function buildGopherRunner(): string {
  const out = join(mkdtempSync(join(tmpdir(), "aisre-gopher-")), "gopher-lua");
  execFileSync("go", ["build", "-o", out, "."], {
    cwd: SOURCE,
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 600_000,
  });
  return out;
}

/** Runs one health script on one object under gopher-lua; throws with its error text. */
export function runGopherHealth(runner: string, scriptPath: string, obj: unknown): HealthStatus {
  const r = spawnSync(runner, [scriptPath], {
    input: JSON.stringify(obj),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`gopher-lua failed (${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as HealthStatus;
}
