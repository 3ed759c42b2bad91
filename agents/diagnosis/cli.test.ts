// `aisre diagnose` as a user runs it: a child process, JSON on stdout, exit codes 0 and 2.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (name: string) => join(root, "agents/diagnosis/fixtures", name);

function aisre(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/aisre.mjs"), "diagnose", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each case spawns the CLI (Node start-up plus type stripping): seconds on a loaded 2-core CI machine.
describe("aisre diagnose", { timeout: 60_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), "aisre-diagnose-"));

  it("prints the contract JSON and exits 0", () => {
    const r = aisre("--snapshot", fixture("crashloop-exit127.yaml"), "--output", "json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["rootCause", "findings", "recommendations"]);
    expect(out.rootCause).toMatchObject({
      category: "CrashLoop",
      resource: { kind: "Deployment", namespace: "shop", name: "checkout" },
    });
  });

  it("prints rootCause null for a healthy cluster and exits 0", () => {
    const r = aisre("--snapshot", fixture("healthy-noise.yaml"), "--output=json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rootCause).toBeNull();
  });

  it("prints a text report, root cause first, without colour under NO_COLOR", () => {
    const r = aisre("--snapshot", fixture("pvc-pending-chain.yaml"));
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(
      "Root cause: PVCPending on PersistentVolumeClaim data/pg-data (confidence 0.93)",
    );
    expect(r.stdout).not.toContain("\u001b[");
  });

  it("honours --target over the snapshot's alert", () => {
    const r = aisre(
      "--snapshot",
      fixture("job-and-hpa.yaml"),
      "-o",
      "json",
      "--target",
      "hpa/web",
      "--namespace",
      "front",
    );
    expect(JSON.parse(r.stdout).rootCause.category).toBe("HPAMaxedOut");
  });

  const bad: [string, string, RegExp][] = [
    ["missing file", join(tmp, "nope.yaml"), /^aisre diagnose: .*nope\.yaml: no such file\n$/],
    ["invalid YAML", "bad.yaml", /^aisre diagnose: .*bad\.yaml: invalid YAML\/JSON at line \d+: .+\n$/],
    ["object without kind", "nokind.yaml", /^aisre diagnose: .*nokind\.yaml: objects\[1\] has no kind\n$/],
  ];
  writeFileSync(join(tmp, "bad.yaml"), "kind: ClusterSnapshot\nobjects: [ {kind: Pod\n");
  writeFileSync(
    join(tmp, "nokind.yaml"),
    "kind: ClusterSnapshot\nobjects:\n  - {kind: Pod, metadata: {name: a}}\n  - {metadata: {name: b}}\n",
  );
  for (const [what, file, message] of bad) {
    it(`exits 2 with one stderr line for a ${what}`, () => {
      const r = aisre("--snapshot", file.startsWith("/") ? file : join(tmp, file), "--output", "json");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    });
  }

  it("exits 2 on bad usage", () => {
    expect(aisre("--output", "xml", "--snapshot", "x").code).toBe(2);
    expect(aisre("--frobnicate").code).toBe(2);
    expect(aisre().stderr).toMatch(/pass --snapshot FILE/);
  });

  it("prints help and exits 0", () => {
    const r = aisre("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--snapshot FILE");
  });
});
