/** Whether a workload's newest revision is a recent change a rollback would undo. */
import type { Workload } from "./k8s.ts";
import { humanDuration } from "./k8s.ts";
import type { RolloutHistory } from "./history.ts";
import { describePrevious, rolloutHistory } from "./history.ts";
import { imageTag } from "./analyzers/util.ts";
import type { ResourceRef } from "./types.ts";
import type { ClusterView } from "./view.ts";

/** A recent rollout is one younger than this. */
const RECENT_MS = 7 * 24 * 3600_000;

export interface RolloutContext {
  history: RolloutHistory;
  /** The newest revision changed the image (tag of the new image). */
  newTag?: string;
  recent: boolean;
  age?: string;
  previousText?: string;
}

/** Rollout context of a Deployment subject with at least two revisions, else undefined. */
export function rolloutContext(view: ClusterView, subject: ResourceRef): RolloutContext | undefined {
  if (subject.kind !== "Deployment") return undefined;
  const dep = view.get<Workload>("Deployment", subject.namespace, subject.name);
  const history = dep ? rolloutHistory(view, dep) : undefined;
  if (!history?.previous) return undefined;
  const created = history.newest.created;
  const recent = created === undefined || view.now - created <= RECENT_MS;
  const changed = history.newest.image !== history.previous.image;
  return {
    history,
    newTag: changed ? imageTag(history.newest.image?.split(",")[0]) : undefined,
    recent,
    age: created === undefined ? undefined : humanDuration(view.now - created),
    previousText: describePrevious(history, view.now),
  };
}
