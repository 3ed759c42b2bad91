/** One `aisre` subcommand: its help text and what it runs; run returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad command-line usage: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** True when argv asks for help. */
export function wantsHelp(argv: string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}
