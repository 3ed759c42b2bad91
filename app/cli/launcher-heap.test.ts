// bin/aisre.mjs gives `aisre operator` fixed V8 semi-spaces (the young generation otherwise grows
// with the host's memory), re-executing itself in place, unless the user already set them.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Reports the process's heap flags and exits: at once in a re-executed process, else on the next
// turn (a re-exec happens synchronously in the launcher, so that turn never comes in the old image).
const probe = path.join(tmpdir(), `aisre-heap-probe-${process.pid}.mjs`);
writeFileSync(
  probe,
  `const again = !!process.env.AISRE_PROBE_SEEN;
const report = () => { console.log(JSON.stringify({ pid: process.pid, again, flags: process.execArgv.filter((a) => a.startsWith("--max-semi")) })); process.exit(0); };
if (again) report();
process.env.AISRE_PROBE_SEEN = "1";
setImmediate(report);
`,
);

function launch(args: string[], nodeArgs: string[] = [], nodeOptions = ""): Record<string, unknown> {
  const r = spawnSync(process.execPath, [...nodeArgs, "--import", probe, "bin/aisre.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: nodeOptions, AISRE_PROBE_SEEN: "" },
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  return { ...out, samePid: out.pid === r.pid };
}

describe("aisre launcher heap flags", { timeout: 60_000 }, () => {
  it("re-executes the operator in place with 16 MiB semi-spaces", () => {
    const out = launch(["operator"]);
    expect(out).toMatchObject({ again: true, samePid: true, flags: ["--max-semi-space-size=16"] });
  });

  it("keeps a semi-space size given on the command line or in NODE_OPTIONS, and leaves other commands alone", () => {
    expect(launch(["operator"], ["--max-semi-space-size=8"])).toMatchObject({
      again: false,
      flags: ["--max-semi-space-size=8"],
    });
    expect(launch(["operator"], [], "--max-semi-space-size=8")).toMatchObject({ again: false, flags: [] });
    expect(launch(["version"])).toMatchObject({ again: false, flags: [] });
  });
});
