#!/usr/bin/env node
// Launcher of the kubectl plugin: kubectl runs kubectl-aisre from PATH for `kubectl aisre ...`.
// Runs the TypeScript CLI directly with Node's type stripping (>= 22.18).
// When started by an older system node (npx on a machine with Node 20), it
// re-executes itself with the Node 24 that `npm ci` placed in node_modules and
// forwards signals, so SIGTERM still reaches the operator.
// Node's compile cache (outside the repo: $NODE_COMPILE_CACHE, else <tmpdir>/node-compile-cache)
// keeps the compiled modules between runs; NODE_DISABLE_COMPILE_CACHE=1 turns it off. An
// unwritable directory (read-only root filesystem without /tmp) only disables it.
// docs/adr/0007-cli-startup.md, docs/kubectl-plugin.md.
import { spawn } from "node:child_process";
import module from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, minor] = process.versions.node.split(".").map(Number);
const modern = major > 22 || (major === 22 && minor >= 18);

if (modern) {
  module.enableCompileCache?.();
  await import(pathToFileURL(join(root, "app", "cli", "plugin-main.ts")).href);
} else {
  const bundled = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(bundled)) {
    console.error(
      `kubectl-aisre: Node >= 22.18 is required (found ${process.version}); run 'npm ci' in ${root}`,
    );
    process.exit(2);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
