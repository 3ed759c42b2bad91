/**
 * The executor behind the read-only tools: reads the ClusterView, never writes; every
 * result is redacted, anonymized when asked, bounded and fenced as untrusted data, and
 * the whole consultation has a budget of calls and characters. Every read is held to the
 * task's namespace and the cluster-scoped objects it depends on (scope.ts): anything else is
 * refused with an error naming the refusal.
 */
import { canonicalKind } from "../focus.ts";
import type { K8sObject, Pod, Workload } from "../k8s.ts";
import { condition } from "../k8s.ts";
import { isClusterScoped, ref } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import { tailLines } from "./fence.ts";
import { redactObject } from "../../../redact/index.ts";
import type { Sanitizer } from "./sanitize.ts";
import { runbookHits } from "./runbook-search.ts";
import { ScopeGuard } from "./scope.ts";
import type { ToolScope } from "./scope.ts";
import type { ToolDefinition } from "./tool-defs.ts";
import { CLUSTER_TOOLS, PROMQL_TOOL } from "./tool-defs.ts";

/** Bounds of the tool calls of one consultation. */
export interface ToolLimits {
  maxCalls: number;
  maxChars: number;
  maxTotalChars: number;
  /** How long a PromQL query may take. */
  queryTimeoutMs?: number;
}

/** The tools one consultation offers, and the executor behind them. */
export interface ToolBox {
  definitions: ToolDefinition[];
  /** Runs a tool; never throws: faults come back as text the model can read. */
  run(name: string, args: unknown): Promise<string>;
  readonly calls: number;
}

type Args = Record<string, unknown>;
type Impl = (
  view: ClusterView,
  args: Args,
  s: Sanitizer,
  limits: ToolLimits,
  scope: ScopeGuard,
) => Promise<unknown> | unknown;

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function arg(args: Args, key: string, s: Sanitizer, required = true): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === "") {
    if (required) throw new Error(`${key} is required`);
    return undefined;
  }
  if (typeof v !== "string" || v.length > 253) throw new Error(`${key} must be a short string`);
  return s.real(v);
}

function target(args: Args, s: Sanitizer) {
  const kind = canonicalKind(arg(args, "kind", s)!);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) throw new Error("kind must be a Kind such as Pod");
  const name = arg(args, "name", s)!;
  if (!NAME.test(name)) throw new Error("name is not a Kubernetes name");
  return ref(kind, arg(args, "namespace", s, false), name);
}

function podStatus(p: Pod): string {
  const cs = p.status?.containerStatuses ?? [];
  const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const waiting = cs.map((c) => c.state?.waiting?.reason).find(Boolean);
  return `${waiting ?? p.status?.phase ?? "?"} ready=${cs.filter((c) => c.ready).length}/${cs.length} restarts=${restarts}`;
}

function workloadStatus(w: Workload): string | undefined {
  const st = w.status;
  if (st?.replicas === undefined && st?.readyReplicas === undefined) return undefined;
  return `ready=${st.readyReplicas ?? 0}/${w.spec?.replicas ?? st.replicas ?? "?"}`;
}

/** A one-line status for list_objects: pods, nodes and workloads get their key numbers. */
function status(o: K8sObject): string {
  if (o.kind === "Pod") return podStatus(o as Pod);
  if (o.kind === "Node")
    return `Ready=${condition((o as Workload).status?.conditions, "Ready")?.status ?? "?"}`;
  return workloadStatus(o as Workload) ?? (o.status as { phase?: string } | undefined)?.phase ?? "";
}

const IMPLS: Record<string, Impl> = {
  get_object(view, args, s, _limits, scope) {
    const r = target(args, s);
    const ns = scope.resolve(r.kind, r.namespace || undefined, r.name);
    const obj = view.get(r.kind, ns, r.name);
    return obj ? redactObject(obj) : `not found: ${r.kind} ${ns ? `${ns}/` : ""}${r.name}`;
  },
  list_objects(view, args, s, _limits, scope) {
    const kind = canonicalKind(arg(args, "kind", s)!);
    const ns = scope.namespaceOf(arg(args, "namespace", s, false));
    const items = (isClusterScoped(kind) ? view.list(kind) : view.list(kind, ns)).filter((o) =>
      scope.visible(o),
    );
    const out = items
      .slice(0, 100)
      .map((o) => [o.metadata?.namespace, o.metadata?.name, status(o)].join(" "));
    if (items.length > 100) out.push(`... ${items.length - 100} more`);
    return out.length ? out.join("\n") : `no ${kind} objects`;
  },
  get_events(view, args, s, _limits, scope) {
    const r = target(args, s);
    const at = ref(r.kind, scope.resolve(r.kind, r.namespace || undefined, r.name), r.name);
    const events = [...view.eventsFor(at)]
      .sort((a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0))
      .slice(0, 30)
      .map((e) => {
        const when = e.lastSeen === undefined ? "" : ` last=${new Date(e.lastSeen).toISOString()}`;
        return `${e.type} ${e.reason} x${e.count}${when}: ${e.message}`;
      });
    return events.length ? events.join("\n") : "no events";
  },
  get_logs(view, args, s, _limits, scope) {
    const ns = scope.namespaceOf(arg(args, "namespace", s)!);
    const podName = arg(args, "pod", s)!;
    const pod = view.get<Pod>("Pod", ns, podName);
    const container = arg(args, "container", s, false) ?? pod?.spec?.containers?.[0]?.name ?? "";
    const text = view.log(ns, podName, container, args.previous === true);
    if (text === undefined)
      return `no ${args.previous === true ? "previous " : ""}log for ${ns}/${podName}/${container}`;
    const n =
      typeof args.tailLines === "number" ? Math.min(200, Math.max(1, Math.floor(args.tailLines))) : 50;
    return tailLines(text, n);
  },
  search_runbooks(view, args, s, _limits, scope) {
    return runbookHits(view, arg(args, "category", s, false), arg(args, "query", s, false), (rb) =>
      scope.runbookVisible(rb),
    );
  },
  async query_prometheus(view, args, s, limits, scope) {
    const timeoutMs = limits.queryTimeoutMs ?? 10_000;
    const promql = args.promql;
    if (typeof promql !== "string" || !promql || promql.length > 4096) throw new Error("promql is required");
    if (!view.prometheus) return "Prometheus is not configured";
    const expr = s.real(promql);
    scope.promql(expr);
    const samples = await Promise.race([
      view.prometheus(expr),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("query timed out")), timeoutMs).unref(),
      ),
    ]);
    return (
      samples
        .slice(0, 30)
        .map((x) => `${JSON.stringify(x.labels)} ${x.value}`)
        .join("\n") || "empty result"
    );
  },
};

function label(name: string, args: Args): string {
  const shown = ["kind", "namespace", "name", "pod", "container", "category", "query", "promql"]
    .map((k) => args[k])
    .filter((v) => typeof v === "string")
    .join(" ");
  return `tool ${name} ${shown}`.slice(0, 160);
}

/** The read-only tools over a view, with their budget, reading only within scope. */
export function readOnlyTools(
  view: ClusterView,
  sanitizer: Sanitizer,
  limits: ToolLimits,
  scope: ToolScope,
): ToolBox {
  const guard = new ScopeGuard(view, scope);
  let calls = 0;
  let chars = 0;
  const definitions = view.prometheus ? [...CLUSTER_TOOLS, PROMQL_TOOL] : [...CLUSTER_TOOLS];
  const offered = new Set(definitions.map((d) => d.function.name));
  return {
    definitions,
    get calls() {
      return calls;
    },
    async run(name, rawArgs) {
      calls++;
      if (calls > limits.maxCalls || chars >= limits.maxTotalChars)
        return "error: the tool budget is spent; give your final JSON answer now";
      const impl = offered.has(name) ? IMPLS[name] : undefined;
      if (!impl)
        return `error: unknown tool ${sanitizer.text(name).slice(0, 64)}; only the listed read-only tools exist`;
      const args = typeof rawArgs === "object" && rawArgs !== null ? (rawArgs as Args) : {};
      try {
        const value = await impl(view, args, sanitizer, limits, guard);
        const text = typeof value === "string" ? value : JSON.stringify(value);
        const out = sanitizer.untrusted(
          label(name, args),
          text,
          Math.min(limits.maxChars, limits.maxTotalChars - chars),
        );
        chars += out.length;
        return out;
      } catch (err) {
        return `error: ${sanitizer.text(err instanceof Error ? err.message : String(err)).slice(0, 200)}`;
      }
    },
  };
}
