import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";

/** Reads the package version from package.json next to the sources. */
export function productVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

export const versionCommand: Command = {
  name: "version",
  summary: "Print the aisre version",
  usage: "aisre version [--json]",
  async run(argv) {
    const version = productVersion();
    if (argv.includes("--json")) console.log(JSON.stringify({ version, node: process.version }));
    else console.log(`aisre ${version} (node ${process.version})`);
    return 0;
  },
};
