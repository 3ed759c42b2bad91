// deploy/krew/aisre.yaml, rendered as krew-release-bot renders it on a release (TagName filled, each
// addURIAndSha replaced by uri and sha256), is a krew Plugin manifest krew accepts: the fields
// krew's validation requires, one platform per os/arch, and a bin that is the plugin's launcher.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const TEMPLATE = readFileSync(join(ROOT, "deploy", "krew", "aisre.yaml"), "utf8");

/** The bot's rendering: {{ .TagName }} and {{addURIAndSha "URL" .TagName}} (uri + a sha256 of the asset). */
function render(template: string, tag: string): string {
  return template
    .replace(/\{\{\s*addURIAndSha "([^"]+)" \.TagName\s*\}\}/g, (_m, url: string, offset: number) => {
      const indent = " ".repeat(offset - template.lastIndexOf("\n", offset) - 1);
      const uri = url.replace(/\{\{ \.TagName \}\}/g, tag);
      return `uri: ${uri}\n${indent}sha256: ${"ab".repeat(32)}`;
    })
    .replace(/\{\{ \.TagName \}\}/g, tag);
}

interface Platform {
  selector: { matchLabels: { os: string; arch: string } };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}

describe("the krew manifest", () => {
  const manifest = parse(render(TEMPLATE, "v0.1.0")) as {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    spec: {
      version: string;
      homepage: string;
      shortDescription: string;
      description: string;
      platforms: Platform[];
    };
  };

  it("renders to a krew v1alpha2 Plugin named aisre (kubectl aisre) at the release tag", () => {
    expect(TEMPLATE).not.toMatch(/\{\{(?! ?\.TagName|addURIAndSha)/);
    expect(manifest.apiVersion).toBe("krew.googlecontainertools.github.com/v1alpha2");
    expect(manifest.kind).toBe("Plugin");
    expect(manifest.metadata.name).toBe("aisre");
    expect(manifest.spec.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(manifest.spec.homepage).toMatch(/^https:\/\//);
    // krew-index guidelines: a short description of at most 50 characters.
    expect(manifest.spec.shortDescription.length).toBeLessThanOrEqual(50);
    expect(manifest.spec.description).toContain("verb approve");
  });

  it("has one platform per os/arch, each with its release asset, a sha256 and the launcher as bin", () => {
    const keys = manifest.spec.platforms.map(
      (p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(["darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64"]);
    for (const p of manifest.spec.platforms) {
      const { os, arch } = p.selector.matchLabels;
      expect(p.uri).toBe(
        `${manifest.spec.homepage}/releases/download/v0.1.0/kubectl-aisre_${os}_${arch}.tar.gz`,
      );
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.files).toEqual([{ from: "kubectl-aisre/*", to: "." }]);
      // The archive holds the package as the repository lays it out, so bin is the same launcher.
      const bin = join(ROOT, p.bin);
      expect(existsSync(bin), p.bin).toBe(true);
      expect(statSync(bin).mode & 0o111).not.toBe(0);
    }
  });
});
