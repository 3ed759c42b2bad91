/**
 * Storm membership (docs/alert-storms.md): tasks with the same grouping key, in the same
 * namespace and under the same AgentConfig, whose work started within the window of the
 * group's first task, form one group. The earliest task is the primary (ties by name), so
 * every replica and every reconcile computes the same answer from the same tasks.
 */

/** One task as grouping sees it. */
export interface StormCandidate {
  name: string;
  namespace: string;
  /** The AgentConfig the task answers to: its grouping settings apply. */
  agentConfig: string;
  key: string;
  /** When work on the task started (ms since the epoch). */
  startedAt: number;
  /** What the notification lists: the alert name, else the task name. */
  alertname?: string;
  /** namespace/Kind/name of the alerted workload. */
  workload?: string;
}

/** One group: its primary first, then the members by start time. */
export interface StormGroup {
  key: string;
  namespace: string;
  agentConfig: string;
  primary: StormCandidate;
  members: StormCandidate[];
  /** Primary plus members. */
  size: number;
}

function byStart(a: StormCandidate, b: StormCandidate): number {
  return a.startedAt - b.startedAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Partitions candidates into groups: per (namespace, AgentConfig, key), in start order, a task
 * joins the current group when it started at most windowMs after the group's primary, else it
 * opens the next group. Namespaces never mix, so a tenant's alerts never join another's incident.
 */
export function groupStorms(candidates: readonly StormCandidate[], windowMs: number): StormGroup[] {
  const buckets = new Map<string, StormCandidate[]>();
  for (const c of candidates) {
    const bucket = JSON.stringify([c.namespace, c.agentConfig, c.key]);
    const list = buckets.get(bucket);
    if (list) list.push(c);
    else buckets.set(bucket, [c]);
  }
  const groups: StormGroup[] = [];
  for (const bucket of buckets.values()) {
    let current: StormGroup | undefined;
    for (const c of [...bucket].sort(byStart)) {
      if (current && c.startedAt - current.primary.startedAt <= windowMs) {
        current.members.push(c);
        current.size++;
        continue;
      }
      current = {
        key: c.key,
        namespace: c.namespace,
        agentConfig: c.agentConfig,
        primary: c,
        members: [],
        size: 1,
      };
      groups.push(current);
    }
  }
  return groups;
}

/** Every grouped task's group, by namespace and name: one lookup per task instead of a scan. */
export function groupsByTask(groups: readonly StormGroup[]): Map<string, StormGroup> {
  const out = new Map<string, StormGroup>();
  for (const g of groups) for (const c of [g.primary, ...g.members]) out.set(`${g.namespace}/${c.name}`, g);
  return out;
}
