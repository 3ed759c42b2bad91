// The image (Dockerfile, .dockerignore) without a Docker engine: every module `aisre` can
// load from bin/aisre.mjs (static and dynamic imports, followed through the sources) is
// COPYed and not ignored; tests, fixtures, docs, bench, .git and node_modules stay out;
// the process runs as a numeric non-root user; dev tools are not production dependencies.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PRUNE } from "../bench/deps.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const read = (f: string) => readFileSync(join(root, f), "utf8");
const dockerfile = read("Dockerfile");
const ignore = read(".dockerignore")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

/** A .dockerignore pattern as a RegExp over a context path (the path or anything below it). */
function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map((part) =>
      part === "**"
        ? "(?:.*/)?"
        : part
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*")
            .replace(/\?/g, "[^/]") + "/",
    )
    .join("");
  return new RegExp(`^${body.replace(/\/$/, "")}(?:/.*)?$`);
}
const ignored = (path: string) => ignore.some((p) => patternRegExp(p).test(path));

/** The sources of the final stage: `COPY <src> <dest>` lines without --from. */
const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) =>
  m[1]!.trim().split(/\s+/).slice(0, -1),
);
const inImage = (path: string) =>
  !ignored(path) && copied.some((src) => path === src || path.startsWith(`${src.replace(/\/$/, "")}/`));

/** Every repository file reachable through relative imports (static and dynamic) from `entry`. */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = read(file);
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g),
      ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (!spec.startsWith(".")) continue;
      const target = relative(root, resolve(dirname(join(root, file)), spec));
      if (existsSync(join(root, target))) queue.push(target);
    }
  }
  return seen;
}

describe("the aisre image", () => {
  it("understands the .dockerignore patterns it relies on", () => {
    expect(ignored(".git/HEAD")).toBe(true);
    expect(ignored("node_modules/x/index.js")).toBe(true);
    expect(ignored("webhooks/server.test.ts")).toBe(true);
    expect(ignored("agents/diagnosis/fixtures/a.yaml")).toBe(true);
    expect(ignored("webhooks/server.ts")).toBe(false);
  });

  it("COPYs every module the CLI can load, and none of them is ignored", () => {
    // bin/aisre.mjs loads app/cli/main.ts by a computed path; the version command reads package.json.
    const files = [...importClosure("app/cli/main.ts"), "bin/aisre.mjs", "package.json"];
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !inImage(f))).toEqual([]);
    const folders = new Set(files.map((f) => f.split("/")[0]));
    for (const folder of ["app", "runtime", "kube", "logging", "redact", "notify", "crds"])
      expect(folders).toContain(folder);
  });

  it("COPYs the SQL migrations the store applies at run time", () => {
    expect(inImage("store/migrations/001_incidents.sql")).toBe(true);
  });

  it("keeps tests, fixtures, docs, bench, hack, .git and node_modules out", () => {
    for (const path of [
      ".git/config",
      "node_modules/fastify/package.json",
      "test/scenarios.test.ts",
      "test/fixtures/scenarios/INDEX.md",
      "docs/design.md",
      "bench/cli.ts",
      "hack/test.sh",
      "app/image.test.ts",
      "agents/diagnosis/fixtures/crashloop-exit127.yaml",
      "redact/corpus/README.md",
      "webhooks/testing/fake-kube.ts",
    ])
      expect({ path, inImage: inImage(path) }).toEqual({ path, inImage: false });
  });

  it("installs production dependencies only, prunes what Node never loads, and runs as a numeric non-root user", () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev --ignore-scripts/);
    for (const name of PRUNE) expect(dockerfile).toContain(`-name '${name}'`);
    const user = [...dockerfile.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1];
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  });

  it("lists dev tools as devDependencies and keeps the `node` package for Node 20 machines", () => {
    const pkg = JSON.parse(read("package.json")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const prod = Object.keys(pkg.dependencies);
    for (const dev of [
      "eslint",
      "prettier",
      "typescript",
      "typescript-eslint",
      "@eslint/js",
      "vitest",
      "cdk8s",
    ])
      expect(prod).not.toContain(dev);
    expect(prod.filter((d) => d.startsWith("@types/"))).toEqual([]);
    // bin/aisre.mjs re-executes under node_modules/node on Node < 22.18 (docs/adr/0007-cli-startup.md).
    expect(prod).toContain("node");
  });
});
