#!/usr/bin/env node
// Launcher: runs the TypeScript CLI directly with Node's type stripping (>= 22.18).
// When started by an older system node (npx on a machine with Node 20), it
// re-executes itself with the Node 24 that `npm ci` placed in node_modules and
// forwards signals, so SIGTERM still reaches the operator.
// Node's compile cache (outside the repo: $NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache)
// keeps the compiled modules between runs; NODE_DISABLE_COMPILE_CACHE=1 turns it off. An
// unwritable directory (read-only root filesystem without /tmp) only disables it.
// docs/adr/0007-cli-startup.md.
import { spawn } from "node:child_process";
import module from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// V8 sizes its young generation from the machine's memory, not from the work: 2 x 64 MiB of
// semi-spaces on a 24 GiB host. For the operator that is short-lived garbage held in RSS, so
// `aisre operator` runs with semi-spaces of 8 MiB on any host (16 MiB, bench/scale/probe.ts, 200
// tasks at 1k pods: peak RSS 318 MiB instead of 439, same tasks/s; 8 instead of 16, two bench runs
// at 10k pods + 2k tasks: burst peak 284, 278 MiB instead of 301, 300, same tasks/s, a restart's
// first diagnosis 0.4-0.7 s later: docs/scaling.md, step 9), and lets its old generation grow
// by 30 % of what survived a full GC (V8 otherwise grows it up to 4x while allocation is fast:
// 300 tasks at 10k pods left 395 MiB of heap for 156 MiB live; with 50 %, 265 MiB). V8 keeps the
// pages of its largest heap mapped after a GC frees them, so RSS follows the peak heap: 30 %
// instead of 50 % took 10-24 MiB off RSS after 300 tasks at 10k pods, about 1 ms more operator
// CPU a task (docs/scaling.md, step 7).
// glibc's malloc keeps an arena per thread; two are enough for Node's few busy threads
// (-28 MiB RSS in the same burst). It also raises its mmap threshold after the first large free
// (up to 32 MiB), so the large response buffers of lists and watches then come from its heap and
// leave it fragmented: a fixed 128 KiB threshold returns them to the system on free (malloc's
// heap at 10k pods after 300 tasks: 69-80 MiB -> 45-48 MiB). Each is kept when already given: a
// flag on the command line (or --max-semi-space-size in NODE_OPTIONS), a MALLOC_ variable in the
// environment.
// V8 gives the pages it freed back to the system only on a memory-reducing GC, which an operator
// that always receives watch events never gets; --expose-gc lets it run one once idle
// (runtime/memory-release.ts, AISRE_MEMORY_RELEASE_IDLE_SECONDS).
const HEAP_FLAGS = ["--max-semi-space-size=8", "--heap-growing-percent=30", "--expose-gc"];
const given = (flag) =>
  process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS ?? "").includes(flag);
const heapFlags = (args) => (args[0] === "operator" ? HEAP_FLAGS.filter((f) => !given(f.split("=")[0])) : []);
const MALLOC_ENV = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_TRIM_THRESHOLD_: "131072",
};
const mallocEnv = (args) =>
  args[0] === "operator"
    ? Object.fromEntries(Object.entries(MALLOC_ENV).filter(([name]) => process.env[name] === undefined))
    : {};
const [major, minor] = process.versions.node.split(".").map(Number);
const modern = major > 22 || (major === 22 && minor >= 18);

const flags = heapFlags(process.argv.slice(2));
const env = mallocEnv(process.argv.slice(2));
if (modern && flags.length + Object.keys(env).length > 0 && typeof process.execve === "function") {
  // Same pid and stdio, no second process: the flags only take effect when the heap is set up.
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)],
    { ...process.env, ...env },
  );
}
if (modern) {
  module.enableCompileCache?.();
  await import(pathToFileURL(join(root, "app", "cli", "main.ts")).href);
} else {
  const bundled = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(bundled)) {
    console.error(`aisre: Node >= 22.18 is required (found ${process.version}); run 'npm ci' in ${root}`);
    process.exit(2);
  }
  const child = spawn(bundled, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
