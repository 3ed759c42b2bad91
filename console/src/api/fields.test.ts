import { describe, expect, it } from "vitest";
import type { FormInstance } from "antd";
import { ApiError } from "./client.ts";
import { applyFieldError, namePathOf } from "./fields.ts";

function fakeForm() {
  const set: unknown[] = [];
  return { form: { setFields: (f: unknown[]) => set.push(...f) } as unknown as FormInstance, set };
}

describe("server field errors", () => {
  it("maps server field paths to form name paths", () => {
    expect(namePathOf("spec.llm.model")).toEqual(["llm", "model"]);
    expect(namePathOf("reason")).toEqual(["reason"]);
    expect(namePathOf("spec.policy.approvers[2]")).toEqual(["policy", "approvers", 2]);
  });

  it("sets the server's message on the named field", () => {
    const { form, set } = fakeForm();
    const err = new ApiError(422, {
      error: "invalid",
      message: "spec.llm.model: Invalid value",
      field: "spec.llm.model",
    });
    expect(
      applyFieldError(form, err, [
        ["llm", "model"],
        ["llm", "enabled"],
      ]),
    ).toBe(true);
    expect(set).toEqual([{ name: ["llm", "model"], errors: ["spec.llm.model: Invalid value"] }]);
  });

  it("leaves errors of other fields, or without a field, to the caller", () => {
    const { form, set } = fakeForm();
    expect(
      applyFieldError(form, new ApiError(422, { message: "x", field: "spec.grafana.url" }), [["reason"]]),
    ).toBe(false);
    expect(applyFieldError(form, new ApiError(403, { message: "forbidden" }), [["reason"]])).toBe(false);
    expect(applyFieldError(form, new Error("boom"), [["reason"]])).toBe(false);
    expect(set).toEqual([]);
  });
});
