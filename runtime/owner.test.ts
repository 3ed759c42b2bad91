import { describe, expect, it } from "vitest";
import {
  AlreadyOwnedError,
  controllerRef,
  getControllerOf,
  isControlledBy,
  setControllerReference,
} from "./owner.ts";

const owner = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "ns", name: "t1", uid: "u1" },
};
const run = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { namespace: "ns", name: "r1" },
};

describe("owner references", () => {
  it("builds a controller reference that blocks owner deletion", () => {
    expect(controllerRef(owner)).toEqual({
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      name: "t1",
      uid: "u1",
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(() => controllerRef({ metadata: { name: "x" } })).toThrow();
  });

  it("sets the controller reference once and keeps other owners", () => {
    const other = { apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "u9" };
    const child = { ...run, metadata: { ...run.metadata, ownerReferences: [other] } };
    const owned = setControllerReference(owner, child);
    expect(owned.metadata.ownerReferences).toEqual([other, controllerRef(owner)]);
    expect(setControllerReference(owner, owned).metadata.ownerReferences).toHaveLength(2);
    expect(isControlledBy(owned, owner)).toBe(true);
    expect(getControllerOf(owned)?.uid).toBe("u1");
    expect(child.metadata.ownerReferences).toHaveLength(1);
  });

  it("refuses a second controller and cross-namespace ownership", () => {
    const owned = setControllerReference(owner, run);
    const rival = { ...owner, metadata: { ...owner.metadata, uid: "u2", name: "t2" } };
    expect(() => setControllerReference(rival, owned)).toThrow(AlreadyOwnedError);
    expect(() =>
      setControllerReference(owner, { ...run, metadata: { name: "r", namespace: "other" } }),
    ).toThrow(/cross-namespace/);
  });
});
