import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { HttpError, fieldOf, fromKubeError, isKubeUnavailable, isNetworkError } from "./errors.ts";

const api = (code: number, body: unknown = {}) => new ApiException(code, "x", body, {});

describe("fieldOf", () => {
  it("turns AJV paths into dotted fields with indexes", () => {
    expect(
      fieldOf({
        instancePath: "/alerts/0/labels",
        keyword: "required",
        params: { missingProperty: "alertname" },
      }),
    ).toBe("alerts[0].labels.alertname");
    expect(fieldOf({ instancePath: "/a~1b/2", keyword: "type", params: {} })).toBe("a/b[2]");
    expect(fieldOf({ instancePath: "", keyword: "type", params: {} }, "querystring")).toBe("querystring");
    expect(
      fieldOf({ instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "x" } }),
    ).toBe("x");
  });
});

describe("fromKubeError", () => {
  it("maps unavailability to 503", () => {
    for (const err of [
      api(500),
      api(503),
      api(429),
      Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }),
    ]) {
      expect(isKubeUnavailable(err)).toBe(true);
      expect(fromKubeError(err, "x").statusCode).toBe(503);
    }
  });

  it("passes 404 and 409 through and names the field of a 422", () => {
    expect(fromKubeError(api(404), "reading").statusCode).toBe(404);
    expect(fromKubeError(api(409), "creating").statusCode).toBe(409);
    const invalid = fromKubeError(
      api(422, { message: "bad", details: { causes: [{ field: "spec.alert.labels" }] } }),
      "x",
    );
    expect(invalid).toMatchObject({ statusCode: 400, message: "bad", field: "spec.alert.labels" });
  });

  it("treats the sidecar's own 403 as a 500 (its RBAC is broken)", () => {
    expect(fromKubeError(api(403), "creating").statusCode).toBe(500);
  });

  it("does not mistake a programming error for an outage", () => {
    expect(isNetworkError(new TypeError("x is not a function"))).toBe(false);
    expect(isKubeUnavailable(new HttpError(400, "x"))).toBe(false);
  });
});
