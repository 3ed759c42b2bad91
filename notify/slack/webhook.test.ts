import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { chatMessage } from "../templates/message.ts";
import { sampleNotification } from "../templates/testing.ts";
import { escapeMrkdwn, judgeSlack, slackBody, slackPoster } from "./webhook.ts";
import { startSlackStandIn } from "./testing.ts";
import type { SlackStandIn } from "./testing.ts";

const logger = pino({ level: "silent" });

describe("slackBody", () => {
  it("is Block Kit with a header, an escaped mrkdwn section, checked mentions and a text fallback", () => {
    const n = sampleNotification("IncidentOpened", "latency & errors <!channel> high");
    const body = slackBody(chatMessage(n, "en"), ["U012AB3CD", "<!everyone>"]);
    expect(body.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Incident opened", emoji: true },
    });
    const section = (body.blocks[1] as { text: { text: string } }).text.text;
    expect(section).toMatch(/^:warning: Task: shop\/checkout-slow/);
    expect(section).not.toContain("<!channel>");
    expect(body.blocks[2]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "<@U012AB3CD>" }] });
    expect(body.text.startsWith("Incident opened\nTask: shop/checkout-slow")).toBe(true);
    expect(escapeMrkdwn("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });
});

describe("judgeSlack", () => {
  it.each([
    [200, "ok", { ok: true }],
    [429, "rate_limited", { ok: false, transient: true, code: "rate_limited" }],
    [500, "rollup_error", { ok: false, transient: true }],
    [400, "invalid_payload", { ok: false, transient: false, code: "invalid_payload" }],
    [404, "no_service", { ok: false, transient: false, code: "no_service" }],
    [410, "channel_is_archived", { ok: false, transient: false, code: "channel_is_archived" }],
  ])("HTTP %i %s", (status, body, verdict) => {
    expect(judgeSlack(status, body)).toMatchObject(verdict);
  });
});

describe("slackPoster against the stand-in", () => {
  let api: SlackStandIn;
  beforeEach(async () => {
    api = await startSlackStandIn();
  });
  afterEach(async () => api.close());
  const message = () => chatMessage(sampleNotification("Remediated"), "en");
  const retry = { baseDelayMs: 1 };

  it("posts to the hook; the stand-in accepts only the registered URL", async () => {
    const url = api.hook("T000", "B000", "XXXXsecretXXXX");
    await slackPoster({ webhook: new URL(url), logger, retry })(message());
    expect(api.posts).toEqual([
      expect.objectContaining({ path: "/services/T000/B000/XXXXsecretXXXX", status: 200 }),
    ]);
    const revoked = slackPoster({ webhook: new URL(`${api.url}/services/T000/B000/revoked`), logger, retry });
    const err = await revoked(message()).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: "no_service", transient: false });
    expect(JSON.stringify({ ...err, m: err!.message })).not.toContain("revoked");
  });

  it("waits out a 429's Retry-After, retries 5xx, and gives up when Retry-After is too long", async () => {
    const url = new URL(api.hook("T1", "B1", "s1"));
    api.queue.push({ status: 429, body: "rate_limited", headers: { "retry-after": "0" } });
    api.queue.push({ status: 500, body: "rollup_error" });
    await slackPoster({ webhook: url, logger, retry })(message());
    expect(api.posts.map((p) => p.status)).toEqual([200]);
    api.queue.push({ status: 429, body: "rate_limited", headers: { "retry-after": "3600" } });
    await expect(slackPoster({ webhook: url, logger, retry })(message())).rejects.toMatchObject({
      code: "rate_limited",
    });
  });
});
