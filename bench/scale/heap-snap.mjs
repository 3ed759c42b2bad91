// Preload for bench/scale/probe.ts: NODE_OPTIONS="--import ./bench/scale/heap-snap.mjs" makes the
// operator, on SIGUSR2 (probe.ts sends it after the task burst), print its memory as it stands (RSS,
// peak RSS, V8 heap: before the snapshot's own full GC), its CPU time and GC pause time since
// start, and write a V8 heap snapshot to AISRE_HEAP_OUT (default
// /tmp/aisre-<pid>-<time>.heapsnapshot; "-" prints only). Read the snapshot with Chrome DevTools
// (Memory tab). Writing it pauses the process for seconds.
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";

const mib = (bytes) => Math.round(bytes / 1048576);
let gcMs = 0;
let gcs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    gcs++;
  }
}).observe({ entryTypes: ["gc"] });

process.on("SIGUSR2", () => {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN);
  console.error(
    `heap-snap: rss ${mib(mem.rss)} MiB (peak ${Math.round(peakKb / 1024)}), heap used ${mib(mem.heapUsed)} / total ${mib(mem.heapTotal)} MiB, external ${mib(mem.external)} MiB; cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, gc ${(gcMs / 1000).toFixed(2)} s in ${gcs} pauses`,
  );
  if (typeof globalThis.gc === "function") {
    // NODE_OPTIONS=--expose-gc: the live heap, garbage collected.
    for (let i = 0; i < 3; i++) globalThis.gc();
    const live = process.memoryUsage();
    console.error(
      `heap-snap: after a full GC: rss ${mib(live.rss)} MiB, heap used ${mib(live.heapUsed)} / total ${mib(live.heapTotal)} MiB`,
    );
  }
  const file = process.env.AISRE_HEAP_OUT ?? `/tmp/aisre-${process.pid}-${Date.now()}.heapsnapshot`;
  if (file === "-") return;
  const started = Date.now();
  writeHeapSnapshot(file);
  console.error(`heap-snap: wrote ${file} in ${Date.now() - started} ms`);
});
