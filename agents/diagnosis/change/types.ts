/** What the live operator's change journal remembers about one object change (docs/diagnosis.md, what changed). */
export interface ChangeRecord {
  kind: string;
  /** "" when cluster-scoped. */
  namespace: string;
  name: string;
  /** RFC 3339 time the operator saw the change (or the object's own timestamp when older). */
  at: string;
  resourceVersion?: string;
  generation?: number;
  /** Top-level paths that changed, e.g. ["spec.template.spec.containers[app].image"], ["data"], ["spec.taints"]. */
  fields: string[];
}
