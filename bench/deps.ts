// Production dependency weight: `npm ci --omit=dev` of this package.json and package-lock.json
// in a temporary directory (the npm registry must be reachable), then the size on disk and
// the number of installed packages. Two installs: as the image does it (--ignore-scripts: the
// image brings its own Node 24) and as `npm ci` on a user's machine does it (the `node`
// package's install script fetches the Node 24 binary that bin/aisre.mjs re-executes on Node 20).
// The image then deletes type declarations and source maps (PRUNE, Dockerfile): both figures print.
// Usage: node bench/deps.ts [--image-only]
import { execFile } from "node:child_process";
import { copyFileSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

/** What the image deletes after `npm ci` (Dockerfile): type declarations and source maps. */
export const PRUNE = ["*.d.ts", "*.d.mts", "*.d.cts", "*.map"] as const;

export interface DepsWeight {
  /** Bytes on disk (allocated blocks, hard links once), like `du -s`. */
  bytes: number;
  /** The same without the PRUNE files: what the image's node_modules holds. */
  prunedBytes: number;
  /** Installed packages (node_modules/.package-lock.json entries). */
  packages: number;
}

const pruned = (name: string) => PRUNE.some((p) => name.endsWith(p.slice(1)));

/** Disk usage of a tree; with `prune`, without the files the image deletes. */
function diskUsage(path: string, prune: boolean, seen = new Set<string>()): number {
  const st = lstatSync(path);
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  if (prune && st.isFile() && pruned(path)) return 0;
  let bytes = st.blocks * 512;
  if (st.isDirectory())
    for (const name of readdirSync(path)) bytes += diskUsage(join(path, name), prune, seen);
  return bytes;
}

/** Installs the production dependencies into a temporary directory and weighs them. */
export async function prodDeps(opts: { ignoreScripts: boolean }): Promise<DepsWeight> {
  const dir = mkdtempSync(join(tmpdir(), "aisre-prod-deps-"));
  try {
    for (const f of ["package.json", "package-lock.json"]) copyFileSync(join(root, f), join(dir, f));
    const args = ["ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"];
    if (opts.ignoreScripts) args.push("--ignore-scripts");
    await run("npm", args, { cwd: dir, maxBuffer: 16 << 20, timeout: 10 * 60_000 });
    const hidden = JSON.parse(readFileSync(join(dir, "node_modules/.package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    return {
      bytes: diskUsage(join(dir, "node_modules"), false),
      prunedBytes: diskUsage(join(dir, "node_modules"), true),
      packages: Object.keys(hidden.packages).filter((k) => k.startsWith("node_modules/")).length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const mb = (bytes: number) => bytes / (1 << 20);

if (import.meta.main) {
  const { values } = parseArgs({ options: { "image-only": { type: "boolean" } } });
  const show = (what: string, bytes: number, packages: number) =>
    console.log(`${what.padEnd(54)} ${mb(bytes).toFixed(0).padStart(4)} MB, ${packages} packages`);
  const image = await prodDeps({ ignoreScripts: true });
  show("npm ci --omit=dev --ignore-scripts", image.bytes, image.packages);
  show("  the image's node_modules (the same without PRUNE)", image.prunedBytes, image.packages);
  if (!values["image-only"]) {
    const npx = await prodDeps({ ignoreScripts: false });
    show("npm ci --omit=dev (npx: with the Node 24 binary)", npx.bytes, npx.packages);
  }
}
