import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { chatMessage } from "../templates/message.ts";
import { WebhookError } from "../templates/webhook.ts";
import { sampleNotification } from "../templates/testing.ts";
import { DINGTALK_MAX_SKEW_MS, dingtalkSign, signedUrl } from "./sign.ts";
import { dingtalkBody, dingtalkPoster, judgeDingTalk } from "./robot.ts";
import { startDingTalkStandIn, verifyDingTalk } from "./testing.ts";
import type { DingTalkStandIn } from "./testing.ts";

const logger = pino({ level: "silent" });
const SECRET = "SECa1b2c3d4e5f6-never-in-a-log";

describe("dingtalkSign", () => {
  it("matches DingTalk's documented algorithm (Python reference: hmac.new(secret, ts+'\\n'+secret, sha256), b64, quote_plus)", () => {
    // Computed independently with the documentation's Python sample.
    expect(dingtalkSign("this is secret", 1577262236757)).toBe(
      "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=",
    );
    const url = signedUrl(
      new URL("https://oapi.dingtalk.com/robot/send?access_token=abc"),
      "this is secret",
      1577262236757,
    );
    expect(url.search).toBe(
      "?access_token=abc&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D",
    );
  });

  it("leaves the URL unsigned without a secret", () => {
    expect(signedUrl(new URL("https://x/robot/send?access_token=a"), undefined, 1).search).toBe(
      "?access_token=a",
    );
  });

  it("the stand-in refuses a wrong sign and a timestamp over an hour off", () => {
    const now = 1_800_000_000_000;
    const ok = String(now - DINGTALK_MAX_SKEW_MS + 1000);
    expect(verifyDingTalk(SECRET, ok, dingtalkSign(SECRET, ok), now)).toBeUndefined();
    expect(verifyDingTalk(SECRET, ok, dingtalkSign("other", ok), now)).toBe("sign not match");
    const stale = String(now - DINGTALK_MAX_SKEW_MS - 1000);
    expect(verifyDingTalk(SECRET, stale, dingtalkSign(SECRET, stale), now)).toBe("invalid timestamp");
    expect(verifyDingTalk(SECRET, null, null, now)).toBe("sign not match");
  });
});

describe("judgeDingTalk", () => {
  it.each([
    [200, '{"errcode":0,"errmsg":"ok"}', { ok: true }],
    [200, '{"errcode":-1,"errmsg":"系统繁忙"}', { ok: false, transient: true, code: -1 }],
    [200, '{"errcode":410100,"errmsg":"send too fast"}', { ok: false, transient: true, code: 410100 }],
    [200, '{"errcode":310000,"errmsg":"sign not match"}', { ok: false, transient: false, code: 310000 }],
    [200, '{"errcode":300001,"errmsg":"token is not exist"}', { ok: false, transient: false, code: 300001 }],
    [502, "bad gateway", { ok: false, transient: true, code: 502 }],
    [200, "<html>", { ok: false, transient: false }],
  ])("HTTP %i %s", (status, body, verdict) => {
    expect(judgeDingTalk(status, body)).toMatchObject(verdict);
  });
});

describe("dingtalkBody", () => {
  it("is markdown with the title, one paragraph per line, and the mentions named in the text", () => {
    const body = dingtalkBody(chatMessage(sampleNotification("Diagnosed"), "zh"), {
      atMobiles: ["13800000000"],
      atUserIds: ["manager01"],
    });
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.title).toBe("诊断完成");
    expect(body.markdown.text).toMatch(/^#### 诊断完成\n\n任务：shop\/checkout-slow\n\n阶段：已诊断/);
    expect(body.markdown.text).toContain("根因：");
    expect(body.markdown.text.endsWith("@13800000000 @manager01")).toBe(true);
    expect(body.at).toEqual({ atMobiles: ["13800000000"], atUserIds: ["manager01"], isAtAll: false });
  });
});

describe("dingtalkPoster against the stand-in", () => {
  let api: DingTalkStandIn;
  beforeEach(async () => {
    api = await startDingTalkStandIn();
    api.robot("tok-signed", SECRET);
    api.robot("tok-plain");
  });
  afterEach(async () => api.close());
  const message = () => chatMessage(sampleNotification("IncidentOpened"), "en");
  const retry = { baseDelayMs: 1 };

  it("posts a signed message the stand-in verifies", async () => {
    await dingtalkPoster({ webhook: new URL(api.webhook("tok-signed")), secret: SECRET, logger, retry })(
      message(),
    );
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]).toMatchObject({ token: "tok-signed", errcode: 0 });
    expect(api.posts[0]!.body).toMatchObject({ msgtype: "markdown", markdown: { title: "Incident opened" } });
  });

  it("surfaces a wrong secret at once (310000, no retry) without the secret or token in the error", async () => {
    const post = dingtalkPoster({
      webhook: new URL(api.webhook("tok-signed")),
      secret: "SECwrong",
      logger,
      retry,
    });
    const err = (await post(message()).catch((e: unknown) => e)) as WebhookError;
    expect(err).toBeInstanceOf(WebhookError);
    expect(err).toMatchObject({
      code: 310000,
      transient: false,
      path: expect.stringMatching(/\/robot\/send$/),
    });
    expect(api.posts).toHaveLength(1);
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/tok-signed|SECwrong/);
  });

  it("refuses a clock an hour and more off (stale timestamp)", async () => {
    const now = () => Date.now() - DINGTALK_MAX_SKEW_MS - 60_000;
    const post = dingtalkPoster({
      webhook: new URL(api.webhook("tok-signed")),
      secret: SECRET,
      logger,
      retry,
      now,
    });
    await expect(post(message())).rejects.toMatchObject({ code: 310000 });
  });

  it("retries busy (-1) with a fresh signature, and gives up after the attempts", async () => {
    api.queue.push({ status: 200, body: { errcode: -1, errmsg: "系统繁忙" } });
    const post = dingtalkPoster({
      webhook: new URL(api.webhook("tok-signed")),
      secret: SECRET,
      logger,
      retry,
    });
    await post(message());
    expect(api.posts.map((p) => p.errcode)).toEqual([0]);
    for (let i = 0; i < 3; i++) api.queue.push({ status: 503, body: {} });
    await expect(post(message())).rejects.toMatchObject({ code: 503, transient: true });
  });

  it("posts unsigned to a robot without 加签; an unknown token is permanent", async () => {
    await dingtalkPoster({ webhook: new URL(api.webhook("tok-plain")), logger, retry })(message());
    expect(api.posts[0]).toMatchObject({ errcode: 0, timestamp: undefined, sign: undefined });
    const post = dingtalkPoster({ webhook: new URL(api.webhook("tok-gone")), logger, retry });
    await expect(post(message())).rejects.toMatchObject({ code: 300001, transient: false });
  });
});
