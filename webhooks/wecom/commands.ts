/**
 * Chat commands, in Chinese and English, with full-width spaces and punctuation tolerated:
 *   诊断 / diagnose <ns>/<kind>/<name> [words]   or any free text → diagnose
 *   状态 / status [<ns>/<task>]
 *   批准 / approve <ns>/<plan>
 *   拒绝 / reject <ns>/<plan> [reason]
 *   帮助 / help
 * Pure: no I/O; the handler turns a Command into gateway calls.
 */
import type { ObjectReference } from "../../crds/index.ts";
import { kindFromAlias } from "../../crds/kind-aliases.ts";
import type { Lang as NotifyLang } from "../../notify/channel.ts";
import type { CommandName as CatalogCommandName } from "../../notify/wecom/strings.ts";

/** The language of the user's message; replies use the same one. */
export type Lang = NotifyLang;

/** A namespace (optional: the default one applies) and a name. */
export interface NameRef {
  namespace?: string;
  name: string;
}

/** Which command a usage error is about (the string catalog has a usage text for each). */
export type CommandName = CatalogCommandName;

/** What a message asks for. */
export type Command =
  | { kind: "diagnose"; lang: Lang; description: string; target?: ObjectReference }
  | { kind: "status"; lang: Lang; task?: NameRef }
  | { kind: "approve"; lang: Lang; plan: NameRef }
  | { kind: "reject"; lang: Lang; plan: NameRef; reason?: string }
  | { kind: "help"; lang: Lang }
  | { kind: "usage"; lang: Lang; command: CommandName };

const WORDS: ReadonlyArray<readonly [string, CommandName | "help", Lang]> = [
  ["诊断", "diagnose", "zh"],
  ["状态", "status", "zh"],
  ["查询", "status", "zh"],
  ["批准", "approve", "zh"],
  ["同意", "approve", "zh"],
  ["拒绝", "reject", "zh"],
  ["驳回", "reject", "zh"],
  ["帮助", "help", "zh"],
  ["diagnose", "diagnose", "en"],
  ["diag", "diagnose", "en"],
  ["status", "status", "en"],
  ["approve", "approve", "en"],
  ["reject", "reject", "en"],
  ["help", "help", "en"],
];

const CLUSTER_SCOPED = new Set(["Node", "Ec2Instance"]);

/** True for kinds without a namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const TRAILING_PUNCTUATION = /[\s。．.!！?？,，;；、]+$/u;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** NFKC folds full-width letters, digits, slashes, colons and the ideographic space to ASCII. */
export function normalize(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim();
}

/** zh when the text has Chinese characters, otherwise en. */
export function detectLang(text: string): Lang {
  return CJK.test(text) ? "zh" : "en";
}

/** Splits "word rest" for a command word at the start (Chinese words need no space after them). */
function matchWord(
  text: string,
): { name: CommandName | "help"; lang: Lang; args: string; spaced: boolean } | undefined {
  const body = text.replace(/^\//, "").replace(TRAILING_PUNCTUATION, "");
  for (const [word, name, lang] of WORDS) {
    const head = body.slice(0, word.length);
    if (lang === "zh" ? head !== word : head.toLowerCase() !== word) continue;
    const rest = body.slice(word.length);
    // An English word must end at a space or punctuation: "statuses" is free text.
    if (lang === "en" && rest !== "" && !/^[\s:,]/.test(rest)) continue;
    const args = rest.replace(/^[\s:,]+/, "");
    return { name, lang, args, spaced: rest === "" || /^[\s:,]/.test(rest) };
  }
  return undefined;
}

/** Parses `<ns>/<name>` or `<name>`; undefined when it is not a valid reference. */
export function parseNameRef(text: string): NameRef | undefined {
  const parts = text.split("/");
  if (parts.length === 1 && DNS_NAME.test(parts[0] ?? "")) return { name: parts[0] as string };
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name) return undefined;
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) return undefined;
  if (!DNS_NAME.test(name) || name.length > 253) return undefined;
  return { namespace, name };
}

/** The Kind for a typed kind ("deployment", "deploy", "Deployment"); undefined when not a kind. */
export function parseKind(kind: string): string | undefined {
  const alias = kindFromAlias(kind);
  if (alias) return alias;
  return /^[A-Z][A-Za-z0-9]{0,62}$/.test(kind) ? kind : undefined;
}

/** Parses `<ns>/<kind>/<name>` or `<kind>/<name>`; undefined when the token is not a target. */
export function parseTarget(token: string): ObjectReference | undefined {
  const parts = token.split("/");
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const [namespace, kindText, name] = parts.length === 3 ? parts : [undefined, ...parts];
  const kind = parseKind(kindText ?? "");
  if (!kind || !name) return undefined;
  const validName = kind === "Ec2Instance" ? /^i-[0-9a-f]{8,17}$/.test(name) : DNS_NAME.test(name);
  if (!validName || name.length > 253) return undefined;
  if (CLUSTER_SCOPED.has(kind)) return { kind, name };
  if (namespace !== undefined && (!DNS_LABEL.test(namespace) || namespace.length > 63)) return undefined;
  return namespace === undefined ? { kind, name } : { kind, namespace, name };
}

function parseDiagnose(args: string, lang: Lang, original: string): Command {
  if (args === "") return { kind: "usage", lang, command: "diagnose" };
  const [first = "", ...rest] = args.split(" ");
  const target = parseTarget(first);
  const description = target && rest.length > 0 ? rest.join(" ") : original;
  return target ? { kind: "diagnose", lang, description, target } : { kind: "diagnose", lang, description };
}

function parsePlanCommand(name: "approve" | "reject", args: string, lang: Lang): Command {
  const [first = "", ...rest] = args.split(" ");
  const plan = parseNameRef(first);
  if (!plan) return { kind: "usage", lang, command: name };
  if (name === "approve")
    return rest.length > 0 ? { kind: "usage", lang, command: name } : { kind: name, lang, plan };
  const reason = rest.join(" ").trim();
  return reason ? { kind: "reject", lang, plan, reason } : { kind: "reject", lang, plan };
}

/** Parses a text message into a command; text that is no command asks for a diagnosis. */
export function parseCommand(text: string): Command {
  const normalized = normalize(text);
  const freeText: Command = { kind: "diagnose", lang: detectLang(normalized), description: normalized };
  const word = matchWord(normalized);
  if (!word) return freeText;
  const command = commandFor(word, normalized);
  // "状态一直是 CrashLoopBackOff" starts with a command word but is a sentence, not a command.
  return command.kind === "usage" && !word.spaced ? freeText : command;
}

function commandFor(
  word: { name: CommandName | "help"; lang: Lang; args: string },
  normalized: string,
): Command {
  const { name, lang, args } = word;
  switch (name) {
    case "help":
      return { kind: "help", lang };
    case "diagnose":
      return parseDiagnose(args, lang, normalized);
    case "status": {
      if (args === "") return { kind: "status", lang };
      const task = parseNameRef(args);
      return task ? { kind: "status", lang, task } : { kind: "usage", lang, command: "status" };
    }
    case "approve":
    case "reject":
      return parsePlanCommand(name, args, lang);
  }
}
