import { describe, expect, it } from "vitest";
import { loadWeComCallbackEnv, loadWeComSidecarEnv } from "./callback-env.ts";
import { TEST_SECRETS } from "./testing.ts";

const CALLBACK = {
  AISRE_WECOM_TOKEN: TEST_SECRETS.token,
  AISRE_WECOM_ENCODING_AES_KEY: TEST_SECRETS.encodingAESKey,
  AISRE_WECOM_CORP_ID: TEST_SECRETS.corpId,
};

describe("loadWeComCallbackEnv", () => {
  it("is undefined when nothing is set, or only the app API", () => {
    expect(loadWeComCallbackEnv({})).toBeUndefined();
    const app = { AISRE_WECOM_CORP_ID: "c", AISRE_WECOM_AGENT_ID: "1000002", AISRE_WECOM_SECRET: "s3cret" };
    expect(loadWeComCallbackEnv(app)).toBeUndefined();
    expect(loadWeComSidecarEnv(app).callback).toBeUndefined();
  });

  it("reads the callback beside the app API", () => {
    const config = loadWeComSidecarEnv({
      ...CALLBACK,
      AISRE_WECOM_AGENT_ID: "1000002",
      AISRE_WECOM_SECRET: "s3cret",
      AISRE_WECOM_TO_USER: "zhangsan|lisi",
    });
    expect(config.callback).toEqual({
      secrets: {
        token: TEST_SECRETS.token,
        encodingAESKey: TEST_SECRETS.encodingAESKey,
        corpId: TEST_SECRETS.corpId,
      },
      agentId: 1000002,
    });
    expect(config.app).toEqual({ corpId: TEST_SECRETS.corpId, corpSecret: "s3cret", agentId: 1000002 });
    expect(config.to).toEqual({ toUser: "zhangsan|lisi" });
  });

  it.each([
    [{ AISRE_WECOM_TOKEN: "t" }, /AISRE_WECOM_ENCODING_AES_KEY/],
    [{ ...CALLBACK, AISRE_WECOM_CORP_ID: "" }, /needs AISRE_WECOM_CORP_ID/],
    [{ ...CALLBACK, AISRE_WECOM_ENCODING_AES_KEY: "tooShortButSecret" }, /43 base64/],
    [{ ...CALLBACK, AISRE_WECOM_AGENT_ID: "x1" }, /positive integer/],
  ])("refuses a partial or invalid configuration, naming variables only", (env, message) => {
    let error: Error | undefined;
    try {
      loadWeComSidecarEnv(env);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/tooShortButSecret|secretkey/);
  });
});
