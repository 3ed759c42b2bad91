import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DEFAULT_API_BASE, createNotifier, loadWeComEnv } from "./config.ts";

const CORP_ID = "wx5823bf96d3bd56c7";
const logger = pino({ level: "silent" });

describe("loadWeComEnv", () => {
  it("is empty when nothing is set", () => {
    const config = loadWeComEnv({});
    expect(config).toEqual({ apiBase: DEFAULT_API_BASE, lang: "zh", to: {} });
    expect(createNotifier(config, logger)).toBeUndefined();
  });

  it("reads the app API and the defaults", () => {
    const config = loadWeComEnv({
      AISRE_WECOM_CORP_ID: CORP_ID,
      AISRE_WECOM_AGENT_ID: "1000002",
      AISRE_WECOM_SECRET: "s3cret",
      AISRE_WECOM_API_BASE: "http://127.0.0.1:9",
      AISRE_WECOM_TO_USER: "zhangsan|lisi",
      AISRE_WECOM_LANG: "en",
    });
    expect(config.app).toEqual({ corpId: CORP_ID, corpSecret: "s3cret", agentId: 1000002 });
    expect(config.to).toEqual({ toUser: "zhangsan|lisi" });
    expect(config).toMatchObject({ apiBase: "http://127.0.0.1:9", lang: "en" });
    expect(createNotifier(config, logger)?.mode).toBe("app");
  });

  it("sets up the app API alone, without the callback", () => {
    const config = loadWeComEnv({
      AISRE_WECOM_CORP_ID: CORP_ID,
      AISRE_WECOM_AGENT_ID: "1000002",
      AISRE_WECOM_SECRET: "s3cret",
    });
    expect(config).not.toHaveProperty("callback");
    expect(createNotifier(config, logger)?.mode).toBe("app");
  });

  it("uses a robot when no app secret is set", () => {
    const config = loadWeComEnv({
      AISRE_WECOM_ROBOT_WEBHOOK: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    });
    expect(createNotifier(config, logger)?.mode).toBe("robot");
  });

  it.each([
    [{ AISRE_WECOM_SECRET: "s" }, /AISRE_WECOM_CORP_ID, AISRE_WECOM_AGENT_ID/],
    [{ AISRE_WECOM_AGENT_ID: "x1" }, /positive integer/],
    [{ AISRE_WECOM_ROBOT_WEBHOOK: "ftp://x?key=secretkey" }, /http\(s\) URL/],
  ])("refuses a partial or invalid configuration, naming variables only", (env, message) => {
    let error: Error | undefined;
    try {
      loadWeComEnv(env);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/tooShortButSecret|secretkey/);
  });
});
