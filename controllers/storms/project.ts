/** The incident-group row a task's status.group projects to (docs/alert-storms.md). */
import type { SreTask } from "../../crds/index.ts";
import type { GroupMembershipInput } from "../../store/incident-groups.ts";
import { taskStart } from "./settings.ts";

/** The membership of a task as status.group says; without a group the task leaves any group. */
export function groupMembershipOf(task: SreTask): GroupMembershipInput {
  const input: GroupMembershipInput = {
    taskUid: task.metadata.uid ?? "",
    taskName: task.metadata.name ?? "",
    namespace: task.metadata.namespace ?? "",
    resourceVersion: task.metadata.resourceVersion ?? "0",
    startedAt: new Date(taskStart(task)),
  };
  const group = task.status?.group;
  if (group) {
    input.group = { key: group.key, primary: group.primary, role: group.role };
    if (group.summary) input.group.summary = group.summary;
  }
  return input;
}
