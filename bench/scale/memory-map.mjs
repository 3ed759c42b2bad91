// Preload for bench/scale/probe.ts: NODE_OPTIONS="--import ./bench/scale/memory-map.mjs" makes the
// operator, on SIGUSR2 (probe.ts sends it after the burst), print where its RSS is: resident
// memory by mapping (anonymous mappings grouped by size, so V8's 256 KiB heap pages show as one
// line), and V8's own heap spaces. With --expose-gc and heap-snap.mjs before it, the map is read
// after heap-snap's full GC: V8's heap shrinks, its resident pages do not (docs/scaling.md, step 7).
import { readFileSync } from "node:fs";
import { setTimeout } from "node:timers";
import v8 from "node:v8";

const mib = (kb) => (kb / 1024).toFixed(0);

process.on("SIGUSR2", () =>
  setTimeout(() => {
    const rows = new Map();
    let current;
    for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (m) {
        const kb = (parseInt(m[2], 16) - parseInt(m[1], 16)) / 1024;
        current = m[4] ? m[4].replace(/.*\//, "") : `anonymous ${kb} KiB ${m[3]}`;
        continue;
      }
      const rss = /^Rss:\s+(\d+)/.exec(line);
      if (rss && current) {
        const row = rows.get(current) ?? { n: 0, kb: 0 };
        row.n++;
        row.kb += Number(rss[1]);
        rows.set(current, row);
      }
    }
    const top = [...rows].filter(([, r]) => r.kb > 2048).sort((a, b) => b[1].kb - a[1].kb);
    console.error(`memory-map: ${top.map(([name, r]) => `${name} x${r.n}: ${mib(r.kb)} MiB`).join(", ")}`);
    const spaces = v8.getHeapSpaceStatistics().filter((s) => s.space_size > 0);
    console.error(
      `memory-map: V8 spaces (size/used MiB) ${spaces.map((s) => `${s.space_name} ${mib(s.space_size / 1024)}/${mib(s.space_used_size / 1024)}`).join(", ")}`,
    );
  }, 700),
);
