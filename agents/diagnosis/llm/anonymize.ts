/**
 * Optional reversible anonymization: namespaces and object names become placeholders such
 * as anon-deployment-1 before text reaches the model, and the model's answer is mapped
 * back. Placeholders are valid DNS labels, so references in the answer still validate.
 */
import type { ClusterView } from "../view.ts";

/** Kinds whose object names are worth hiding; everything else keeps its name. */
const KINDS = [
  "Node",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Pod",
  "Service",
  "Ingress",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "Job",
  "CronJob",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
  "ConfigMap",
  "Secret",
  "StorageClass",
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A reversible mapping of real names to placeholders. */
export class Anonymizer {
  private readonly toAlias = new Map<string, string>();
  private readonly toReal = new Map<string, string>();
  private readonly perKind = new Map<string, number>();
  private pattern: RegExp | undefined;
  private reverse: RegExp | undefined;

  /** Registers a name and returns its placeholder (the same one on every call). */
  add(kind: string, name: string): string {
    const known = this.toAlias.get(name);
    if (known) return known;
    const prefix = kind === "Namespace" ? "ns" : kind.toLowerCase();
    const n = (this.perKind.get(prefix) ?? 0) + 1;
    this.perKind.set(prefix, n);
    const alias = `anon-${prefix}-${n}`;
    this.toAlias.set(name, alias);
    this.toReal.set(alias, name);
    this.pattern = this.reverse = undefined;
    return alias;
  }

  /** Registers every namespace and the names of common kinds in a view. */
  addView(view: ClusterView): this {
    for (const kind of KINDS) {
      for (const o of view.list(kind)) {
        const ns = o.metadata?.namespace;
        if (ns) this.add("Namespace", ns);
        if (o.metadata?.name) this.add(kind, o.metadata.name);
      }
    }
    return this;
  }

  /** Replaces registered names (longest first, whole alphanumeric runs only) with placeholders. */
  anonymize(text: string): string {
    if (this.toAlias.size === 0) return text;
    this.pattern ??= wordsPattern([...this.toAlias.keys()]);
    return text.replace(this.pattern, (m) => this.toAlias.get(m) ?? m);
  }

  /** Maps placeholders back to the real names. */
  deanonymize(text: string): string {
    if (this.toReal.size === 0) return text;
    this.reverse ??= wordsPattern([...this.toReal.keys()]);
    return text.replace(this.reverse, (m) => this.toReal.get(m) ?? m);
  }
}

function wordsPattern(words: string[]): RegExp {
  const alternatives = words.sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<![A-Za-z0-9])(?:${alternatives.join("|")})(?![A-Za-z0-9])`, "g");
}
