// bin/aisre.mjs gives `aisre operator` fixed V8 semi-spaces (the young generation otherwise grows
// with the host's memory), a bounded old-generation growth and two malloc arenas, re-executing
// itself in place, unless the user already set them.
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
const report = () => { console.log(JSON.stringify({ pid: process.pid, again, flags: process.execArgv.filter((a) => /^--(max-semi|heap-growing|expose-gc)/.test(a)), arenas: process.env.MALLOC_ARENA_MAX ?? null, mmap: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, trim: process.env.MALLOC_TRIM_THRESHOLD_ ?? null })); process.exit(0); };
if (again) report();
process.env.AISRE_PROBE_SEEN = "1";
setImmediate(report);
`,
);

function launch(
  args: string[],
  nodeArgs: string[] = [],
  nodeOptions = "",
  extraEnv: Record<string, string> = {},
): Record<string, unknown> {
  const {
    MALLOC_ARENA_MAX: _arenas,
    MALLOC_MMAP_THRESHOLD_: _mmap,
    MALLOC_TRIM_THRESHOLD_: _trim,
    ...inherited
  } = process.env;
  const r = spawnSync(process.execPath, [...nodeArgs, "--import", probe, "bin/aisre.mjs", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...inherited, NODE_OPTIONS: nodeOptions, AISRE_PROBE_SEEN: "", ...extraEnv },
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  return { ...out, samePid: out.pid === r.pid };
}

describe("aisre launcher heap flags", { timeout: 60_000 }, () => {
  const ours = ["--max-semi-space-size=8", "--heap-growing-percent=30", "--expose-gc"];

  it("re-executes the operator in place with 8 MiB semi-spaces, 30 % heap growth, gc() exposed, two malloc arenas and a fixed mmap threshold", () => {
    const out = launch(["operator"]);
    expect(out).toMatchObject({
      again: true,
      samePid: true,
      flags: ours,
      arenas: "2",
      mmap: "131072",
      trim: "131072",
    });
  });

  it("keeps what the user gave (command line, NODE_OPTIONS, environment), and leaves other commands alone", () => {
    expect(launch(["operator"], ["--max-semi-space-size=4"])).toMatchObject({
      again: true,
      flags: ["--heap-growing-percent=30", "--expose-gc", "--max-semi-space-size=4"],
    });
    expect(launch(["operator"], [], "--max-semi-space-size=4 --expose-gc")).toMatchObject({
      again: true,
      flags: ["--heap-growing-percent=30"],
    });
    const all = ["--max-semi-space-size=4", "--heap-growing-percent=100", "--expose-gc"];
    const malloc = { MALLOC_ARENA_MAX: "4", MALLOC_MMAP_THRESHOLD_: "65536", MALLOC_TRIM_THRESHOLD_: "0" };
    expect(launch(["operator"], all, "", malloc)).toMatchObject({
      again: false,
      flags: all,
      arenas: "4",
      mmap: "65536",
      trim: "0",
    });
    expect(launch(["operator"], all, "", { MALLOC_ARENA_MAX: "4" })).toMatchObject({
      again: true,
      arenas: "4",
      mmap: "131072",
    });
    expect(launch(["version"])).toMatchObject({ again: false, flags: [], arenas: null, mmap: null });
  });
});
