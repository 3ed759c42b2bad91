import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import { recordValidity, secretRefs, type ConfigStatus } from "./validity.ts";

const config = (spec: AgentConfig["spec"]): AgentConfig => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "AgentConfig",
  metadata: { name: "default", namespace: "shop", generation: 3 },
  spec,
});

describe("AgentConfig validity", () => {
  it("is Ready with SecretsResolved when every referenced Secret exists", () => {
    const status: ConfigStatus = {};
    recordValidity(status, config({}), { state: "found" }, 0);
    expect(status).toMatchObject({ phase: "Ready", observedGeneration: 3 });
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      "SecretsResolved=True",
      "Ready=True",
    ]);
  });

  it("is Invalid and names the missing Secret", () => {
    const status: ConfigStatus = {};
    recordValidity(status, config({}), { state: "missing", message: "Secret llm-key not found" }, 0);
    expect(status.phase).toBe("Invalid");
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      message: "Secret llm-key not found",
    });
  });

  it("lists the AWS credentials Secret, so a missing one makes the config Invalid", () => {
    const aws = { region: "ap-northeast-1", credentialsSecretRef: { name: "aws-creds" } };
    expect(secretRefs(config({ tools: { aws } }))).toEqual([{ name: "aws-creds", key: undefined }]);
  });

  it("lists the WeCom app secret and robot webhook Secrets the notifications name", () => {
    const wecom = {
      mode: "app" as const,
      corpId: "ww1",
      agentId: 1000002,
      toUser: "oncall",
      appSecretRef: { name: "wecom-app", key: "secret" },
    };
    expect(secretRefs(config({ notifications: { wecom } }))).toEqual([{ name: "wecom-app", key: "secret" }]);
    const robot = { mode: "robot" as const, robotWebhookSecretRef: { name: "wecom-robot", key: "url" } };
    expect(secretRefs(config({ notifications: { wecom: robot } }))).toEqual([
      { name: "wecom-robot", key: "url" },
    ]);
  });

  it("lists the LLM key only when the LLM is enabled", () => {
    const ref = { name: "llm-key", key: "apiKey" };
    expect(secretRefs(config({ llm: { enabled: false, apiKeySecretRef: ref } }))).toEqual([]);
    expect(
      secretRefs(config({ llm: { enabled: true, baseURL: "http://x", model: "m", apiKeySecretRef: ref } })),
    ).toEqual([ref]);
  });
});
