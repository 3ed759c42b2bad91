/**
 * The shell's first load stays light: the JavaScript index.html loads before any page (its
 * module script and modulepreloads) is at most 300 KB gzipped, and ECharts is not part of it.
 * A stale or missing console/dist is measured from a fresh build in a temporary directory, never
 * rebuilt in place: the browser suites may be serving console/dist at the same moment.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const here = import.meta.dirname;
const builtDist = join(here, "dist");
let dist = builtDist;
const LIMIT = 300 * 1024;
// A string only ECharts' code carries (the DOM attribute it marks chart containers with).
const ECHARTS_MARK = "_echarts_instance_";

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function stale(): boolean {
  const index = join(builtDist, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newest(join(here, "src")), statSync(join(here, "vite.config.ts")).mtimeMs);
  return sources > built;
}

/** The JS files index.html loads at once: the module script and the modulepreloads. */
function initialScripts(html: string): string[] {
  const srcs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  return [...new Set([...srcs, ...preloads])];
}

describe("console build weight", () => {
  let html = "";
  beforeAll(() => {
    if (stale()) {
      dist = mkdtempSync(join(tmpdir(), "aisre-console-"));
      const args = [
        "vite",
        "build",
        "--config",
        join(here, "vite.config.ts"),
        "--outDir",
        dist,
        "--logLevel",
        "warn",
      ];
      execFileSync("npx", args, {
        cwd: join(here, ".."),
        stdio: "inherit",
        // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: "production" },
      });
    }
    html = readFileSync(join(dist, "index.html"), "utf8");
  });

  it("loads at most 300 KB of gzipped JavaScript before the first page", () => {
    const files = initialScripts(html);
    expect(files.length).toBeGreaterThan(0);
    const sizes = files.map((f) => gzipSync(readFileSync(join(dist, f))).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`initial JS: ${files.length} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(total).toBeLessThanOrEqual(LIMIT);
  });

  it("keeps ECharts out of the first load, in a chunk of its own", () => {
    const initial = initialScripts(html).map((f) => readFileSync(join(dist, f), "utf8"));
    expect(initial.some((code) => code.includes(ECHARTS_MARK))).toBe(false);
    const assets = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
    const withCharts = assets.filter((f) =>
      readFileSync(join(dist, "assets", f), "utf8").includes(ECHARTS_MARK),
    );
    expect(withCharts.length).toBeGreaterThan(0);
  });

  it("has no inline script (the sidecar's CSP allows script-src 'self' only)", () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="/);
      expect(body!.trim()).toBe("");
    }
    expect(html).not.toMatch(/https?:\/\//);
  });
});
