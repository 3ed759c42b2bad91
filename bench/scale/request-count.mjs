// Preload for bench/scale/probe.ts: NODE_OPTIONS="--import ./bench/scale/request-count.mjs" counts the
// operator's HTTP requests by method and path shape (undici diagnostics channel) and, with
// AISRE_PROF_OUT set, CPU-profiles it from its first SreTask request; SIGUSR2 writes both
// (counts to AISRE_REQ_DUMP, default /tmp/aisre-requests.txt).
import diagnostics from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
const counts = new Map();
diagnostics.subscribe("undici:request:create", ({ request }) => {
  const p = request.path
    .split("?")[0]
    .replace(/\/namespaces\/[^/]+/, "/namespaces/NS")
    .replace(
      /(\/(sretasks|diagnosisruns|pods|events|agentconfigs|remediationplans|secrets|configmaps|leases)\/)[^/]+/,
      "$1NAME",
    );
  const watch = request.path.includes("watch=") ? " (watch)" : "";
  const k = `${request.method} ${p}${watch}`;
  counts.set(k, (counts.get(k) ?? 0) + 1);
});
process.on("SIGUSR2", () => {
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v}\t${k}`);
  writeFileSync(process.env.AISRE_REQ_DUMP ?? "/tmp/aisre-requests.txt", rows.join("\n") + "\n");
});
// CPU profile from the first task on: SIGUSR1 is taken by the inspector, so start on the first SreTask PATCH.
import { Session } from "node:inspector/promises";
const session = new Session();
session.connect();
let profiling = false;
diagnostics.subscribe("undici:request:create", async ({ request }) => {
  if (profiling || !process.env.AISRE_PROF_OUT || !request.path.includes("/sretasks/")) return;
  profiling = true;
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
});
process.on("SIGUSR2", async () => {
  if (!profiling) return;
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(process.env.AISRE_PROF_OUT, JSON.stringify(profile));
});
