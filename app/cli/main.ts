import { UsageError, wantsHelp } from "./command.ts";
import type { CommandEntry } from "./commands/index.ts";
import { commands } from "./commands/index.ts";

function printHelp(all: readonly CommandEntry[]): void {
  console.log("aisre: Kubernetes-native AI SRE assistant\n\nUsage: aisre <command> [options]\n\nCommands:");
  for (const c of all) console.log(`  ${c.name.padEnd(12)} ${c.summary}`);
  console.log("\nRun 'aisre <command> --help' for the options of one command.");
}

/** Dispatches argv to a subcommand and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    printHelp(commands);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`aisre: unknown command '${name}' (try 'aisre --help')`);
    return 2;
  }
  // Only now load the command's module and what it imports (docs/adr/0007-cli-startup.md).
  const command = await entry.load();
  if (wantsHelp(rest)) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`aisre ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
