/**
 * kubectl's conventions for the cluster commands (tasks, incident, approve, reject):
 * -n/--namespace, -A/--all-namespaces, --kubeconfig, --context, -o/--output, parsed with
 * node:util parseArgs in tokens mode so every usage error names its flag.
 */
import { parseArgs } from "node:util";
import { UsageError } from "../command.ts";

/** The kubectl flags every cluster command takes. */
export interface KubeFlags {
  namespace?: string;
  allNamespaces: boolean;
  kubeconfig?: string;
  context?: string;
  output?: string;
}

/** What one command accepts besides the kubectl flags. */
export interface ArgSpec {
  /** The command name, for error messages. */
  command: string;
  /** Accepted -o values; "" (the default table or text) is always accepted. */
  outputs: readonly string[];
  /** Whether -A/--all-namespaces makes sense (list commands). */
  allNamespaces?: boolean;
  /** Names of the positional arguments, all required (e.g. ["PLAN"]). */
  positionals?: readonly string[];
  /** Extra string options, e.g. { reason: "r" } for --reason/-r (a short form may be ""). */
  strings?: Readonly<Record<string, string>>;
}

/** The parsed command line. */
export interface ParsedArgs {
  kube: KubeFlags;
  positionals: string[];
  values: Record<string, string>;
}

const KUBE_OPTIONS = {
  namespace: { type: "string", short: "n" },
  "all-namespaces": { type: "boolean", short: "A" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  output: { type: "string", short: "o" },
} as const;

type Token = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];
type OptionToken = Token & { kind: "option" };

/** The value of a string option token (`-o=json` means json, as in kubectl). */
function stringValue(token: OptionToken): string {
  const raw =
    token.inlineValue && !token.rawName.startsWith("--") ? token.value?.replace(/^=/, "") : token.value;
  if (raw === undefined || raw === "") throw new UsageError(`${token.rawName} needs a value`);
  return raw;
}

const KUBE_STRINGS = { namespace: "namespace", kubeconfig: "kubeconfig", context: "context" } as const;

/** Records one option token into the parsed result. */
function applyOption(token: OptionToken, spec: ArgSpec, known: object, parsed: ParsedArgs): void {
  const hint = `(try 'aisre ${spec.command} --help')`;
  if (!Object.hasOwn(known, token.name)) throw new UsageError(`unknown flag '${token.rawName}' ${hint}`);
  if (token.name === "all-namespaces") {
    if (!spec.allNamespaces) throw new UsageError(`${token.rawName} is not supported by ${spec.command}`);
    if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    parsed.kube.allNamespaces = true;
    return;
  }
  const value = stringValue(token);
  if (token.name === "output") {
    if (!spec.outputs.includes(value))
      throw new UsageError(`--output must be one of ${spec.outputs.join(", ")}, not '${value}'`);
    parsed.kube.output = value;
  } else if (Object.hasOwn(KUBE_STRINGS, token.name))
    parsed.kube[token.name as keyof typeof KUBE_STRINGS] = value;
  else parsed.values[token.name] = value;
}

/** Checks the positional arguments and flag combinations once every token is read. */
function checkComplete(spec: ArgSpec, parsed: ParsedArgs): void {
  const hint = `(try 'aisre ${spec.command} --help')`;
  const names = spec.positionals ?? [];
  const { positionals } = parsed;
  if (positionals.length < names.length)
    throw new UsageError(`${names.slice(positionals.length).join(" ")} is required ${hint}`);
  if (positionals.length > names.length)
    throw new UsageError(`unexpected argument '${positionals[names.length]}' ${hint}`);
  if (parsed.kube.allNamespaces && parsed.kube.namespace !== undefined)
    throw new UsageError("--namespace and --all-namespaces cannot be used together");
}

/** Parses argv the kubectl way; throws UsageError naming the flag or argument at fault. */
export function parseKubeArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const extra = Object.fromEntries(
    Object.entries(spec.strings ?? {}).map(([name, short]) => [
      name,
      short ? { type: "string" as const, short } : { type: "string" as const },
    ]),
  );
  const options = { ...KUBE_OPTIONS, ...extra };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const parsed: ParsedArgs = { kube: { allNamespaces: false }, positionals: [], values: {} };
  for (const token of tokens) {
    if (token.kind === "positional") parsed.positionals.push(token.value);
    else if (token.kind === "option") applyOption(token, spec, options, parsed);
  }
  checkComplete(spec, parsed);
  return parsed;
}

/** The usage lines of the kubectl flags, for a command's help. */
export function kubeFlagsHelp(allNamespaces = false): string {
  return [
    "  -n, --namespace NS     the namespace (default: the kubeconfig context's, else default)",
    ...(allNamespaces ? ["  -A, --all-namespaces   every namespace"] : []),
    "      --kubeconfig FILE  the kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)",
    "      --context NAME     the kubeconfig context to use (default: the current context)",
  ].join("\n");
}
