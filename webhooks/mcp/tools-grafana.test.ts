import { describe, expect, it } from "vitest";
import { grafanaFromEnv } from "./tools-grafana.ts";

describe("Grafana for the MCP server", () => {
  it("is configured only by both variables, and refuses a URL that is not http(s)", () => {
    expect(grafanaFromEnv({})).toBeUndefined();
    expect(grafanaFromEnv({ AISRE_GRAFANA_URL: "https://g.example.com" })).toBeUndefined();
    expect(grafanaFromEnv({ AISRE_GRAFANA_TOKEN_FILE: "/t" })).toBeUndefined();
    expect(
      grafanaFromEnv({ AISRE_GRAFANA_URL: " https://g.example.com ", AISRE_GRAFANA_TOKEN_FILE: "/t" }),
    ).toEqual({ url: "https://g.example.com", tokenFile: "/t" });
    expect(() =>
      grafanaFromEnv({ AISRE_GRAFANA_URL: "g.example.com", AISRE_GRAFANA_TOKEN_FILE: "/t" }),
    ).toThrow(/AISRE_GRAFANA_URL must start with http/);
  });
});
