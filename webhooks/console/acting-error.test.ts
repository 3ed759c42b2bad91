import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { actingError } from "./acting-error.ts";

const status = (code: number, message: string, causes?: { field: string; message: string }[]) =>
  new ApiException(
    code,
    message,
    { kind: "Status", code, message, details: causes ? { causes } : undefined },
    {},
  );

describe("errors of writes made as the user", () => {
  it("passes the API server's 403 reason through", () => {
    const err = actingError(
      status(403, 'sretasks.aisre.io is forbidden: User "bob" cannot create resource'),
      "asking",
    );
    expect(err).toMatchObject({
      statusCode: 403,
      message: 'sretasks.aisre.io is forbidden: User "bob" cannot create resource',
    });
  });

  it("answers 422 naming the field the API server rejected", () => {
    const err = actingError(
      status(422, 'AgentConfig.aisre.io "default" is invalid: spec.llm.baseURL: Invalid value', [
        { field: "spec.llm.baseURL", message: "Invalid value" },
      ]),
      "applying",
    );
    expect(err).toMatchObject({ statusCode: 422, field: "spec.llm.baseURL" });
    expect(err.message).toContain("spec.llm.baseURL: Invalid value");
  });

  it("keeps a 401 from signing the user out: their token lacks the API server's audience", () => {
    const err = actingError(status(401, "Unauthorized"), "approving");
    expect(err.statusCode).toBe(403);
    expect(err.message).toContain("audience");
  });

  it("maps conflicts and outages", () => {
    expect(actingError(status(409, "already decided"), "x").statusCode).toBe(409);
    expect(actingError(status(503, "down"), "x").statusCode).toBe(503);
    expect(
      actingError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), "x").statusCode,
    ).toBe(503);
  });
});
