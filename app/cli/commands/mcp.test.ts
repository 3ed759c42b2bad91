import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { UsageError } from "../command.ts";
import { mcpCommand } from "./mcp.ts";

const run = promisify(execFile);

describe("aisre mcp", () => {
  it("refuses unknown options and a bad bound with a usage error naming them", async () => {
    await expect(mcpCommand.run(["--port", "1"])).rejects.toThrow(UsageError);
    await expect(mcpCommand.run(["--port", "1"])).rejects.toThrow(/--port/);
    await expect(mcpCommand.run(["--max-output-chars", "12"])).rejects.toThrow(/--max-output-chars must be/);
  });

  it("prints its help through the CLI without loading the server", async () => {
    const { stdout } = await run(process.execPath, ["bin/aisre.mjs", "mcp", "--help"]);
    expect(stdout).toContain("Usage: aisre mcp [--prometheus URL] [--max-output-chars N]");
    expect(stdout).toContain("propose_plan");
  });
});
