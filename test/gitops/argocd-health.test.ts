// The Argo CD health checks (deploy/argocd/health/aisre.io/<Kind>/health.lua) run under a real
// Lua 5.1 interpreter as Argo CD runs them, on a fixture of every phase of every kind, and the
// argocd-cm snippet users paste holds exactly those scripts (docs/gitops.md).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigPhase, DiagnosisRunPhase, RemediationPlanPhase, SreTaskPhase } from "../../crds/phases.ts";
import { HEALTH_DIR, SNIPPET_PATH, customizationKey, healthKinds, renderSnippet } from "./argocd-snippet.ts";
import { buildGopherRunner, goAvailable, runGopherHealth } from "./gopher.ts";
import { LUA, luaAvailable, runHealth } from "./lua.ts";

const PHASES: Record<string, Record<string, string>> = {
  SreTask: SreTaskPhase,
  DiagnosisRun: DiagnosisRunPhase,
  RemediationPlan: RemediationPlanPhase,
  AgentConfig: ConfigPhase,
  Runbook: ConfigPhase,
};
const ARGO_STATUSES = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"];

interface HealthCase {
  healthStatus: { status: string; message: string };
  inputPath: string;
}

const cases = (kind: string): HealthCase[] =>
  (parse(readFileSync(join(HEALTH_DIR, kind, "health_test.yaml"), "utf8")) as { tests: HealthCase[] }).tests;
const fixture = (kind: string, path: string): { status?: { phase?: string } } =>
  parse(readFileSync(join(HEALTH_DIR, kind, path), "utf8")) as { status?: { phase?: string } };
const script = (kind: string): string => join(HEALTH_DIR, kind, "health.lua");

const lua = luaAvailable();
if (!lua) {
  if (process.env.CI === "true") throw new Error(`${LUA} is missing under CI (apt-get install lua5.1)`);
  console.warn(`skipped: no Lua 5.1 at ${LUA}; install it with 'apt-get install lua5.1' (or set LUA)`);
}
const itLua = lua ? it : it.skip;

describe("Argo CD health scripts", () => {
  it("exist for exactly the five aisre.io kinds", () => {
    expect(healthKinds()).toEqual(Object.keys(PHASES).sort());
  });

  for (const kind of Object.keys(PHASES)) {
    describe(kind, () => {
      for (const c of cases(kind))
        itLua(`${c.inputPath} is ${c.healthStatus.status}`, () => {
          expect(runHealth(script(kind), fixture(kind, c.inputPath))).toEqual(c.healthStatus);
        });

      it("has a fixture, with a known health, for every phase, and every fixture is tested", () => {
        const listed = cases(kind);
        const files = readdirSync(join(HEALTH_DIR, kind, "testdata")).map((f) => `testdata/${f}`);
        expect(listed.map((c) => c.inputPath).sort()).toEqual(files.sort());
        for (const c of listed) expect(ARGO_STATUSES).toContain(c.healthStatus.status);
        const covered = new Set(
          listed
            .filter((c) => c.healthStatus.status !== "Unknown")
            .map((c) => fixture(kind, c.inputPath).status?.phase),
        );
        for (const phase of Object.values(PHASES[kind]!)) expect(covered, phase).toContain(phase);
        // A missing status is a case of its own (Progressing: the operator has not seen it yet).
        expect(listed.some((c) => fixture(kind, c.inputPath).status === undefined)).toBe(true);
      });
    });
  }

  itLua("pass any text through to the message (quotes, newlines, Chinese)", () => {
    const message = '诊断失败: "checkout" \\ crashed\nsecond line';
    const obj = {
      metadata: { name: "t", namespace: "shop", generation: 1 },
      status: {
        phase: "Failed",
        observedGeneration: 1,
        conditions: [{ type: "Ready", status: "False", reason: "DiagnosisFailed", message }],
      },
    };
    expect(runHealth(script("DiagnosisRun"), obj)).toEqual({
      status: "Degraded",
      message: `Failed: ${message}`,
    });
  });

  itLua("run in a sandbox with only the base and table libraries, as Argo CD's", () => {
    const dir = mkdtempSync(join(tmpdir(), "aisre-lua-"));
    const bad = join(dir, "health.lua");
    for (const call of ['os.getenv("HOME")', 'string.upper("x")', "math.floor(1.5)", 'io.read("*a")']) {
      writeFileSync(bad, `local hs = {}\nhs.status = "Healthy"\nhs.message = ${call}\nreturn hs\n`);
      expect(() => runHealth(bad, {}), call).toThrow(/attempt to index/);
    }
  });
});

const go = goAvailable();
if (!go) {
  if (process.env.CI === "true")
    throw new Error("the Go toolchain is missing under CI (it builds the gopher-lua runner)");
  console.warn(
    "skipped: no Go toolchain for the gopher-lua runner; install Go (hack/control-plane.sh needs it too)",
  );
}

// The same fixtures under gopher-lua itself, the Lua Argo CD embeds, with its object decoding.
describe.skipIf(!go)("Argo CD health scripts under gopher-lua", { timeout: 600_000 }, () => {
  let runner = "";
  beforeAll(() => {
    runner = buildGopherRunner();
  }, 600_000);

  for (const kind of Object.keys(PHASES))
    it(`${kind}: every fixture gives the status and message of health_test.yaml`, () => {
      for (const c of cases(kind))
        expect(runGopherHealth(runner, script(kind), fixture(kind, c.inputPath)), c.inputPath).toEqual(
          c.healthStatus,
        );
    });
});

describe("deploy/argocd/argocd-cm-snippet.yaml", () => {
  it("is what `node test/gitops/argocd-snippet.ts` writes (no drift)", () => {
    expect(readFileSync(SNIPPET_PATH, "utf8")).toBe(renderSnippet());
  });

  it("holds each health script verbatim under resource.customizations.health.aisre.io_<Kind>", () => {
    const cm = parse(readFileSync(SNIPPET_PATH, "utf8")) as { kind: string; data: Record<string, string> };
    expect(cm.kind).toBe("ConfigMap");
    expect(Object.keys(cm.data).sort()).toEqual(healthKinds().map(customizationKey).sort());
    for (const kind of healthKinds())
      expect(cm.data[customizationKey(kind)]).toBe(readFileSync(script(kind), "utf8"));
  });
});
