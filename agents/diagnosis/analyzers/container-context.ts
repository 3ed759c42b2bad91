/** What a container check reads: the view, the pod, its fresh events and whether it is an init container. */
import type { ClusterEvent } from "../events.ts";
import type { Container, Pod } from "../k8s.ts";
import type { ClusterView } from "../view.ts";

export interface Ctx {
  view: ClusterView;
  pod: Pod;
  events: ClusterEvent[];
  init: boolean;
}

/** The status path of a container in evidence. */
export function path(ctx: Ctx, name: string): string {
  return `${ctx.init ? "initContainerStatuses" : "containerStatuses"}[${name}]`;
}

/** The events about one container (or the whole pod). */
export function containerEvents(ctx: Ctx, name: string): ClusterEvent[] {
  return ctx.events.filter((e) => !e.regarding.fieldPath || e.regarding.fieldPath.includes(`{${name}}`));
}

/** The spec of a container by name. */
export function specOf(ctx: Ctx, name: string): Container | undefined {
  const list = ctx.init ? ctx.pod.spec?.initContainers : ctx.pod.spec?.containers;
  return list?.find((c) => c.name === name);
}
