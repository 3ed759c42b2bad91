import { describe, expect, it } from "vitest";
import { journalChanges } from "./journal.ts";

const rec = (kind: string, fields: string[], at = "2026-12-06T10:01:00.000Z") => ({
  kind,
  namespace: "shop",
  name: "api",
  at,
  fields,
});

describe("journalChanges", () => {
  it("phrases the fields the live journal records", () => {
    const out = journalChanges([
      rec("Deployment", ["spec.template.spec.containers[app].image"]),
      rec("Deployment", ["spec.template.spec.containers[app].env"]),
      rec("Deployment", ["spec.replicas"]),
      rec("Deployment", ["spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]"]),
      rec("ConfigMap", ["data"]),
      rec("RoleBinding", ["deleted"]),
      rec("NetworkPolicy", ["created"]),
      rec("Role", ["rules"]),
    ]);
    expect(out.map((c) => [c.what, c.cls])).toEqual([
      ["image changed", "revision"],
      ["env changed", "revision"],
      ["replicas changed", "scale"],
      ["rollout restart", "restart"],
      ["data changed", "config"],
      ["deleted", "rbac"],
      ["created", "netpol"],
      ["rules changed", "rbac"],
    ]);
    expect(out[0]?.at).toBe(Date.parse("2026-12-06T10:01:00Z"));
  });

  it("drops records without a readable time", () => {
    expect(journalChanges([rec("ConfigMap", ["data"], "")])).toEqual([]);
  });
});
