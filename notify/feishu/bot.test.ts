import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { chatMessage } from "../templates/message.ts";
import { sampleNotification } from "../templates/testing.ts";
import { FEISHU_MAX_SKEW_SECONDS, feishuSign, signature } from "./sign.ts";
import { feishuBody, feishuPoster, judgeFeishu } from "./bot.ts";
import { startFeishuStandIn, verifyFeishu } from "./testing.ts";
import type { FeishuStandIn } from "./testing.ts";

const logger = pino({ level: "silent" });
const SECRET = "feishu-sign-secret-never-in-a-log";

describe("feishuSign", () => {
  it("matches Feishu's documented algorithm (Python reference: hmac.new(ts+'\\n'+secret, b'', sha256), b64)", () => {
    // Computed independently with the documentation's Python sample.
    expect(feishuSign("demo-feishu-secret", 1599360473)).toBe("I14G+BylJBIS1VqI4nUg1mKqMAjMGZlFJGT36IJRUr8=");
    expect(signature("demo-feishu-secret", 1599360473_999)).toEqual({
      timestamp: "1599360473",
      sign: "I14G+BylJBIS1VqI4nUg1mKqMAjMGZlFJGT36IJRUr8=",
    });
    expect(signature(undefined, 1)).toEqual({});
  });

  it("the stand-in refuses a wrong sign and a timestamp over an hour off", () => {
    const now = 1_800_000_000_000;
    const ts = String(now / 1000 - FEISHU_MAX_SKEW_SECONDS + 5);
    expect(verifyFeishu(SECRET, ts, feishuSign(SECRET, ts), now)).toBe(true);
    expect(verifyFeishu(SECRET, ts, feishuSign("other", ts), now)).toBe(false);
    const stale = String(now / 1000 - FEISHU_MAX_SKEW_SECONDS - 5);
    expect(verifyFeishu(SECRET, stale, feishuSign(SECRET, stale), now)).toBe(false);
    expect(verifyFeishu(SECRET, undefined, undefined, now)).toBe(false);
  });
});

describe("judgeFeishu", () => {
  it.each([
    [200, '{"code":0,"data":{},"msg":"success"}', { ok: true }],
    [200, '{"StatusCode":0,"StatusMessage":"success"}', { ok: true }],
    [200, '{"code":11232,"data":{},"msg":"frequency limited"}', { ok: false, transient: true, code: 11232 }],
    [200, '{"code":19021,"data":{},"msg":"sign match fail"}', { ok: false, transient: false, code: 19021 }],
    [400, '{"code":9499,"msg":"Bad Request"}', { ok: false, transient: false, code: 9499 }],
    [500, "", { ok: false, transient: true, code: 500 }],
  ])("HTTP %i %s", (status, body, verdict) => {
    expect(judgeFeishu(status, body)).toMatchObject(verdict);
  });
});

describe("feishuBody", () => {
  it("is a post in the language's locale, text elements only, mentions as at elements", () => {
    const body = feishuBody(chatMessage(sampleNotification("AwaitingApproval"), "en"), "en", {
      userIds: ["ou_abc"],
      all: true,
    });
    expect(body.msg_type).toBe("post");
    const post = body.content.post.en_us!;
    expect(post.title).toBe("Remediation awaiting approval");
    const rows = post.content as { tag: string; text?: string; user_id?: string }[][];
    expect(rows.slice(0, -1).every((r) => r.length === 1 && r[0]!.tag === "text")).toBe(true);
    expect(
      rows
        .flat()
        .map((e) => e.text)
        .join("\n"),
    ).toContain("kubectl aisre approve checkout-slow-plan -n shop");
    expect(rows.at(-1)).toEqual([
      { tag: "at", user_id: "ou_abc" },
      { tag: "at", user_id: "all" },
    ]);
    expect(
      Object.keys(feishuBody(chatMessage(sampleNotification("Diagnosed"), "zh"), "zh").content.post),
    ).toEqual(["zh_cn"]);
  });
});

describe("feishuPoster against the stand-in", () => {
  let api: FeishuStandIn;
  beforeEach(async () => {
    api = await startFeishuStandIn();
    api.bot("hook-signed", SECRET);
    api.bot("hook-plain");
  });
  afterEach(async () => api.close());
  const message = () => chatMessage(sampleNotification("Diagnosed"), "zh");
  const retry = { baseDelayMs: 1 };

  it("posts a signed message the stand-in verifies, timestamp and sign in the body", async () => {
    await feishuPoster({
      webhook: new URL(api.webhook("hook-signed")),
      secret: SECRET,
      lang: "zh",
      logger,
      retry,
    })(message());
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]).toMatchObject({ token: "hook-signed", code: 0 });
    expect(api.posts[0]!.body).toMatchObject({
      msg_type: "post",
      timestamp: expect.stringMatching(/^\d{10}$/),
    });
  });

  it("surfaces a wrong secret and a stale clock at once (19021), without secrets in the error", async () => {
    const wrong = feishuPoster({
      webhook: new URL(api.webhook("hook-signed")),
      secret: "wrong",
      lang: "zh",
      logger,
      retry,
    });
    const err = await wrong(message()).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 19021, transient: false });
    expect(JSON.stringify({ ...err, m: err!.message })).not.toContain("hook-signed");
    const stale = feishuPoster({
      webhook: new URL(api.webhook("hook-signed")),
      secret: SECRET,
      lang: "zh",
      logger,
      retry,
      now: () => Date.now() - (FEISHU_MAX_SKEW_SECONDS + 120) * 1000,
    });
    await expect(stale(message())).rejects.toMatchObject({ code: 19021 });
    expect(api.posts.map((p) => p.code)).toEqual([19021, 19021]);
  });

  it("retries frequency limited (11232), then posts", async () => {
    api.queue.push({ status: 200, body: { code: 11232, data: {}, msg: "frequency limited psm" } });
    await feishuPoster({ webhook: new URL(api.webhook("hook-plain")), lang: "en", logger, retry })(message());
    expect(api.posts.map((p) => p.code)).toEqual([0]);
  });
});
