/**
 * The `kubectl aisre` entry point (started by bin/kubectl-aisre.mjs, found by kubectl as
 * `kubectl-aisre` on PATH): the cluster commands of `aisre`, named and flagged as kubectl's own.
 * `diagnose` reads the live cluster through $KUBECONFIG, so --kubeconfig is passed that way and the
 * namespace defaults to the context's, as for every other command here.
 */
import { UsageError, wantsHelp } from "./command.ts";
import { commands } from "./commands/index.ts";

/** The subcommands the plugin offers, in help order. */
export const PLUGIN_COMMANDS = ["tasks", "incident", "diagnose", "approve", "reject", "version"] as const;

function printHelp(): void {
  console.log(
    "kubectl aisre: the AI SRE assistant from kubectl\n\nUsage: kubectl aisre <command> [flags]\n\nCommands:",
  );
  for (const name of PLUGIN_COMMANDS)
    console.log(`  ${name.padEnd(12)} ${commands.find((c) => c.name === name)?.summary ?? ""}`);
  console.log(
    "\nRun 'kubectl aisre <command> --help' for the flags of one command (docs/kubectl-plugin.md).",
  );
}

/**
 * diagnose's argv under kubectl's conventions: --kubeconfig becomes $KUBECONFIG (diagnose reads
 * the default kubeconfig), and without --snapshot or -n the context's namespace is diagnosed.
 */
export async function diagnoseArgs(argv: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const out: string[] = [];
  let kubeconfig: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--context" || arg.startsWith("--context="))
      throw new UsageError(
        "--context is not supported by diagnose; use --kubeconfig or switch the current context",
      );
    if (arg === "--kubeconfig") kubeconfig = argv[++i];
    else if (arg.startsWith("--kubeconfig=")) kubeconfig = arg.slice("--kubeconfig=".length);
    else out.push(arg);
  }
  if (kubeconfig === "" || (kubeconfig === undefined && argv.includes("--kubeconfig")))
    throw new UsageError("--kubeconfig needs a value");
  if (kubeconfig) env.KUBECONFIG = kubeconfig;
  const hasNamespace = out.some((a) => /^(-n|--namespace)(=|$)|^-n./.test(a));
  if (hasNamespace || out.some((a) => a === "--snapshot" || a.startsWith("--snapshot="))) return out;
  const { openSession } = await import("./kube/session.ts");
  const session = await openSession({ allNamespaces: false, ...(kubeconfig ? { kubeconfig } : {}) });
  return [...out, "--namespace", session.namespace!];
}

/** Dispatches `kubectl aisre` argv to a command and returns the exit code (2 for bad usage, as aisre). */
export async function pluginMain(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    printHelp();
    return 0;
  }
  const entry = (PLUGIN_COMMANDS as readonly string[]).includes(name)
    ? commands.find((c) => c.name === name)
    : undefined;
  if (!entry) {
    console.error(`error: unknown command "${name}" for "kubectl aisre" (try 'kubectl aisre --help')`);
    return 2;
  }
  const command = await entry.load();
  if (wantsHelp(rest)) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(name === "diagnose" ? await diagnoseArgs(rest, process.env) : rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: kubectl aisre ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
