/**
 * What the model's tools may read: the task's namespace, and the cluster-scoped objects that
 * namespace depends on — the Nodes its pods run on, the PersistentVolumes bound to its claims,
 * the StorageClasses and IngressClasses it uses, and the admission webhook configurations its
 * events name. Anything else is refused inside the tools with an error naming the refusal, so a
 * prompt injection in a log cannot turn a diagnosis of one namespace into a read of another.
 * PromQL is held to the same line: every selector must match namespace="<the namespace>".
 */
import type { K8sObject, Pod } from "../k8s.ts";
import { isClusterScoped } from "../refs.ts";
import type { ClusterView } from "../view.ts";

/** Where a consultation's tools may read. */
export interface ToolScope {
  /** The task's (the DiagnosisRun's) namespace. */
  namespace: string;
  /** Namespaces whose Runbooks are shared guidance (the operator's), besides the task's own. */
  runbookNamespaces?: readonly string[];
}

/** A read outside the scope; the tool answers `error: refused: …`. */
export class ScopeError extends Error {
  constructor(message: string) {
    super(`refused: ${message}`);
    this.name = "ScopeError";
  }
}

interface Spec {
  spec?: {
    nodeName?: string;
    volumeName?: string;
    storageClassName?: string;
    ingressClassName?: string;
    claimRef?: { namespace?: string };
  };
}

const WEBHOOK_KINDS = ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"];

type Add = (kind: string, name: string | undefined) => void;

/** The volumes and classes of the namespace's claims, and the volumes bound to them. */
function storageOf(view: ClusterView, ns: string, add: Add): void {
  for (const pvc of view.list<K8sObject & Spec>("PersistentVolumeClaim", ns)) {
    add("PersistentVolume", pvc.spec?.volumeName);
    add("StorageClass", pvc.spec?.storageClassName);
  }
  for (const pv of view.list<K8sObject & Spec>("PersistentVolume")) {
    if (pv.spec?.claimRef?.namespace !== ns) continue;
    add("PersistentVolume", pv.metadata?.name);
    add("StorageClass", pv.spec?.storageClassName);
  }
}

/** Admission webhook configurations the namespace's events say failed ('failed calling webhook "x"'). */
function webhooksOf(view: ClusterView, ns: string, add: Add): void {
  const named = new Set<string>();
  for (const e of view.allEvents()) {
    if (e.namespace !== ns) continue;
    for (const m of e.message.matchAll(/webhook "([^"]+)"/g)) named.add(m[1]!);
  }
  if (named.size === 0) return;
  for (const kind of WEBHOOK_KINDS)
    for (const cfg of view.list<K8sObject & { webhooks?: { name?: string }[] }>(kind))
      if (cfg.webhooks?.some((w) => w.name !== undefined && named.has(w.name))) add(kind, cfg.metadata?.name);
}

/** The cluster-scoped objects (kind lower-cased → names) the namespace depends on. */
function dependencies(view: ClusterView, ns: string): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  const add: Add = (kind, name) => {
    if (!name) return;
    const k = kind.toLowerCase();
    if (!deps.has(k)) deps.set(k, new Set());
    deps.get(k)!.add(name);
  };
  add("Namespace", ns);
  for (const pod of view.list<Pod & Spec>("Pod", ns)) add("Node", pod.spec?.nodeName);
  storageOf(view, ns, add);
  for (const ing of view.list<K8sObject & Spec>("Ingress", ns))
    add("IngressClass", ing.spec?.ingressClassName);
  webhooksOf(view, ns, add);
  return deps;
}

/** The scope checks the tools run before every read. */
export class ScopeGuard {
  readonly namespace: string;
  private readonly view: ClusterView;
  private readonly runbookNamespaces: ReadonlySet<string>;
  private deps: Map<string, Set<string>> | undefined;

  constructor(view: ClusterView, scope: ToolScope) {
    this.view = view;
    this.namespace = scope.namespace;
    this.runbookNamespaces = new Set([scope.namespace, ...(scope.runbookNamespaces ?? [])]);
  }

  private dependsOn(kind: string, name: string): boolean {
    this.deps ??= dependencies(this.view, this.namespace);
    return this.deps.get(kind.toLowerCase())?.has(name) === true;
  }

  /** Throws unless ns (when given) is the task's namespace. */
  namespaceOf(ns: string | undefined): string {
    if (ns && ns !== this.namespace)
      throw new ScopeError(
        `namespace ${ns} is outside this diagnosis; only namespace ${this.namespace} may be read`,
      );
    return this.namespace;
  }

  /** The namespace to read kind/name in ("" for cluster-scoped kinds); throws when out of scope. */
  resolve(kind: string, ns: string | undefined, name: string): string {
    if (!isClusterScoped(kind)) return this.namespaceOf(ns);
    if (ns) this.namespaceOf(ns);
    if (!this.dependsOn(kind, name))
      throw new ScopeError(
        `${kind} ${name} is not used by namespace ${this.namespace}; only that namespace and the cluster objects it uses may be read`,
      );
    return "";
  }

  /** True when a listed object may be shown. */
  visible(obj: K8sObject): boolean {
    const ns = obj.metadata?.namespace;
    if (ns) return ns === this.namespace;
    return this.dependsOn(obj.kind ?? "", obj.metadata?.name ?? "");
  }

  /** True when a Runbook's namespace holds guidance this consultation may read. */
  runbookVisible(obj: K8sObject): boolean {
    return this.runbookNamespaces.has(obj.metadata?.namespace ?? "");
  }

  /** Throws unless every selector of the PromQL expression is held to the task's namespace. */
  promql(expr: string): void {
    const unscoped = unscopedSelector(expr, this.namespace);
    if (unscoped)
      throw new ScopeError(
        `${unscoped}: every selector must match namespace="${this.namespace}" exactly, e.g. up{namespace="${this.namespace}"}`,
      );
  }
}

// ---- PromQL: a lexer just good enough to find every vector selector ----

type Token = { t: "id" | "str" | "num" | "op"; v: string };

/** A quoted string starting at i: its unescaped value and the index past its closing quote. */
function readString(expr: string, i: number): { v: string; end: number } {
  const quote = expr[i]!;
  let v = "";
  let j = i + 1;
  while (j < expr.length && expr[j] !== quote) {
    if (expr[j] === "\\" && quote !== "`") j++;
    v += expr[j] ?? "";
    j++;
  }
  if (j >= expr.length) throw new ScopeError("the PromQL expression has an unterminated string");
  return { v, end: j + 1 };
}

const TWO_CHAR_OPS = ["=~", "!~", "!=", "==", ">=", "<="];

/** The next token at i (undefined for whitespace and comments) and the index past it. */
function nextToken(expr: string, i: number): { tok?: Token; end: number } {
  const c = expr[i]!;
  if (/\s/.test(c)) return { end: i + 1 };
  if (c === "#") {
    const nl = expr.indexOf("\n", i);
    return { end: nl < 0 ? expr.length : nl };
  }
  if (c === '"' || c === "'" || c === "`") {
    const { v, end } = readString(expr, i);
    return { tok: { t: "str", v }, end };
  }
  const word = /^(?:[0-9.][0-9a-zA-Z_.]*|[A-Za-z_:][A-Za-z0-9_:]*)/.exec(expr.slice(i))?.[0];
  if (word) return { tok: { t: /^[0-9.]/.test(word) ? "num" : "id", v: word }, end: i + word.length };
  const two = expr.slice(i, i + 2);
  const op = TWO_CHAR_OPS.includes(two) ? two : c;
  return { tok: { t: "op", v: op }, end: i + op.length };
}

function lex(expr: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < expr.length;) {
    const { tok, end } = nextToken(expr, i);
    if (tok) out.push(tok);
    i = end;
  }
  return out;
}

const AGGREGATIONS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "group",
  "stddev",
  "stdvar",
  "count",
  "count_values",
  "bottomk",
  "topk",
  "quantile",
  "limitk",
  "limit_ratio",
]);
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);
const LABEL_LISTS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);

/** The index just past the bracket that closes the one at i. */
function closing(tokens: Token[], i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    if (tokens[j]!.t !== "op") continue;
    if (tokens[j]!.v === open) depth++;
    else if (tokens[j]!.v === close && --depth === 0) return j + 1;
  }
  throw new ScopeError(`the PromQL expression has an unclosed ${open}`);
}

/** True when the matchers between braces include namespace="ns". */
function scopedMatchers(tokens: Token[], from: number, to: number, ns: string): boolean {
  for (let j = from; j + 2 < to; j++) {
    const [name, op, value] = [tokens[j]!, tokens[j + 1]!, tokens[j + 2]!];
    if (name.t === "id" && name.v === "namespace" && op.v === "=" && value.t === "str" && value.v === ns)
      return true;
  }
  return false;
}

/**
 * What the identifier at i is: "skip" (a keyword, function, aggregation, or a name whose braces
 * follow), "labels" (a by/on/… list to jump over), or "bare" (a selector without matchers).
 */
function identifierRole(tokens: Token[], i: number): "skip" | "labels" | "bare" {
  const word = tokens[i]!.v.toLowerCase();
  const next = tokens[i + 1]?.v;
  if (LABEL_LISTS.has(word)) return next === "(" ? "labels" : "skip";
  if (KEYWORDS.has(word) || next === "(" || next === "{") return "skip";
  if (AGGREGATIONS.has(word) && (next === "by" || next === "without")) return "skip";
  return "bare";
}

/** The first selector not held to namespace ns, described; undefined when all are. */
export function unscopedSelector(expr: string, ns: string): string | undefined {
  const tokens = lex(expr);
  let selectors = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.t === "op" && tok.v === "{") {
      const end = closing(tokens, i, "{", "}");
      const name = tokens[i - 1]?.t === "id" ? tokens[i - 1]!.v : "";
      if (!scopedMatchers(tokens, i + 1, end - 1, ns)) return `the selector ${name}{…} is not scoped`;
      selectors++;
      i = end - 1;
    } else if (tok.t === "id") {
      const role = identifierRole(tokens, i);
      if (role === "bare") return `the selector ${tok.v} has no label matchers`;
      if (role === "labels") i = closing(tokens, i + 1, "(", ")") - 1;
    }
  }
  return selectors === 0 ? "the expression reads no series" : undefined;
}
