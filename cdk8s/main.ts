/**
 * `npm run synth`: writes the CRDs (crds/<plural>.aisre.io.yaml), deploy/ manifests, the Helm
 * chart and docs/actions.md from crds/*.ts, cdk8s/*.ts and the action catalog. `--check` writes nothing and exits 1 listing drifted files (CI).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findDrift } from "./drift.ts";
import { renderManifests } from "./render.ts";

const root = join(import.meta.dirname, "..");
const files = renderManifests();
const drift = findDrift(root, files);

if (process.argv.includes("--check")) {
  for (const d of drift) console.error(`${d.state}: ${d.path}`);
  if (drift.length > 0) console.error("generated files drifted; run 'npm run synth' and commit the result");
  else console.log(`${files.length} generated files up to date`);
  process.exitCode = drift.length > 0 ? 1 : 0;
} else {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  for (const d of drift) {
    const abs = join(root, d.path);
    const content = byPath.get(d.path);
    if (content === undefined) {
      rmSync(abs);
    } else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    console.log(`${d.state === "stale" ? "removed" : "wrote"} ${d.path}`);
  }
  console.log(`${files.length} generated files, ${drift.length} updated`);
}
