import { describe, expect, it } from "vitest";
import { pickRollback, templateOfControllerRevision, templateOfReplicaSet } from "./revisions.ts";
import type { Revision } from "./revisions.ts";

const rev = (revision: number): Revision => ({
  name: `web-${revision}`,
  revision,
  template: { metadata: { labels: { v: String(revision) } } },
});

describe("rollout history", () => {
  it("rolls back to the revision before the current one, or to the one asked for", () => {
    const history = [rev(1), rev(3), rev(4)];
    expect(pickRollback(history)).toEqual({ current: rev(4), target: rev(3) });
    expect(pickRollback(history, 1)).toEqual({ current: rev(4), target: rev(1) });
    expect(pickRollback(history, 2)).toEqual({ problem: "revision 2 not found (have 1, 3, 4)" });
    expect(pickRollback(history, 4)).toEqual({ problem: "revision 4 is already the current revision" });
    expect(pickRollback([rev(1)])).toEqual({ problem: "no previous revision to roll back to" });
    expect(pickRollback([])).toEqual({ problem: "no rollout history found" });
  });

  it("takes a ReplicaSet's template without pod-template-hash, leaving the ReplicaSet untouched", () => {
    const rs = {
      spec: {
        selector: {},
        template: {
          metadata: { labels: { app: "web", "pod-template-hash": "abc" } },
          spec: { containers: [] },
        },
      },
    };
    expect(templateOfReplicaSet(rs)).toEqual({
      metadata: { labels: { app: "web" } },
      spec: { containers: [] },
    });
    expect(rs.spec.template.metadata.labels["pod-template-hash"]).toBe("abc");
  });

  it("takes a ControllerRevision's template without the $patch directive", () => {
    const cr = {
      revision: 2,
      data: { spec: { template: { $patch: "replace", metadata: { labels: { app: "db" } } } } },
    };
    expect(templateOfControllerRevision(cr)).toEqual({ metadata: { labels: { app: "db" } } });
    expect(templateOfControllerRevision({ revision: 1, data: {} })).toBeUndefined();
  });
});
