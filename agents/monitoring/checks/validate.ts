/**
 * Validation of monitoring checks before they run: the PromQL through the Prometheus project's
 * own grammar (@prometheus-io/lezer-promql, the parser of Prometheus' web UI) and the `for` /
 * `clearFor` durations. A faulty check is reported by name; the others still run.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { MonitoringCheckSpec } from "./types.ts";
import { parseDuration } from "./duration.ts";

/** One fault of one check: which field, and the parser's message. */
export interface CheckFault {
  check: string;
  field: "promql" | "for" | "clearFor";
  message: string;
}

/** Line and column (1-based) of an offset, as editors count them. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** The first syntax error the PromQL grammar finds, or undefined when the expression parses. */
export function promqlError(expr: string): string | undefined {
  if (!expr.trim()) return "empty expression";
  const tree = parser.parse(expr);
  let at: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  const near = expr.slice(at, at + 20).trimEnd();
  const what = near ? `unexpected "${near}"` : "unexpected end of input";
  return `parse error at ${position(expr, at)}: ${what}`;
}

/** Every fault of one check (empty when it can run). */
export function checkFaults(check: MonitoringCheckSpec): CheckFault[] {
  const faults: CheckFault[] = [];
  const parse = promqlError(check.promql);
  if (parse) faults.push({ check: check.name, field: "promql", message: parse });
  for (const field of ["for", "clearFor"] as const) {
    const text = check[field];
    if (text === undefined) continue;
    const d = parseDuration(text);
    if (!d.ok) faults.push({ check: check.name, field, message: d.message });
  }
  return faults;
}

/** Every fault of every check, in check order. */
export function allFaults(checks: readonly MonitoringCheckSpec[]): CheckFault[] {
  return checks.flatMap(checkFaults);
}

/** A fault as the AgentConfig's status words it: `spec.monitoring.checks[name].promql: message`. */
export function faultText(f: CheckFault): string {
  return `spec.monitoring.checks[${f.check}].${f.field}: ${f.message}`;
}
