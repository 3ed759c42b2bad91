import { beforeAll, describe, expect } from "vitest";
import { SRETASK } from "../../crds/resources.ts";
import type { SreTask } from "../../crds/index.ts";
import { StatusWriter, customObjectsStatusClient } from "../../runtime/index.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { createTask, readTask, sampleTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("StatusWriter on the real API server", () => {
  const ns = useNamespace(cluster, "status");
  beforeAll(async () => {
    if (cluster) await installCrds(cluster);
  });

  for (const mode of ["patch", "update"] as const) {
    it(`retries a 409 conflict by re-reading and re-applying the mutation (${mode})`, async () => {
      const writer = new StatusWriter({ client: customObjectsStatusClient(cluster!.kc), mode });
      const name = `conflict-${mode}`;
      const stale = await createTask(cluster!, sampleTask(ns.name, name));
      // Someone else writes status first, so `stale` now carries an old resourceVersion.
      const fresh = await writer.update(
        SRETASK,
        stale,
        (s) => void (s.message = "written by another writer"),
      );
      expect(fresh.written).toBe(true);
      expect(fresh.obj.metadata?.resourceVersion).not.toBe(stale.metadata.resourceVersion);

      const result = await writer.update<SreTask>(SRETASK, stale, (s) => void (s.phase = "Accepted"));
      expect(result.written).toBe(true);
      const stored = await readTask(cluster!, ns.name, name);
      expect(stored.status?.phase).toBe("Accepted");
      // The mutation was re-applied on the fresh object: the other writer's field survived.
      expect(stored.status?.message).toBe("written by another writer");
    });
  }

  it("skips a no-op write: the resourceVersion does not move", async () => {
    const writer = new StatusWriter({ client: customObjectsStatusClient(cluster!.kc) });
    const created = await createTask(cluster!, sampleTask(ns.name, "noop"));
    const first = await writer.update<SreTask>(SRETASK, created, (s) => void (s.phase = "Accepted"));
    const second = await writer.update<SreTask>(SRETASK, first.obj, (s) => void (s.phase = "Accepted"));
    expect(second.written).toBe(false);
    const stored = await readTask(cluster!, ns.name, "noop");
    expect(stored.metadata.resourceVersion).toBe(first.obj.metadata.resourceVersion);
  });
});
