import { pino } from "pino";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppSender, RobotSender } from "./senders.ts";
import { startWeComStandIn } from "./testing.ts";
import type { WeComStandIn } from "./testing.ts";
import { truncateBytes } from "./wecom-api.ts";

const SECRET = "corp-secret-DO-NOT-LEAK-7d1f";
const ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

/** A logger whose output the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

describe("WeCom senders against a local stand-in", () => {
  let api: WeComStandIn;
  let logs: ReturnType<typeof capturingLogger>;
  beforeAll(async () => {
    api = await startWeComStandIn();
  });
  afterAll(() => api.close());
  afterEach(() => {
    api.requests.length = 0;
    api.answers.clear();
  });

  function app(now?: () => number) {
    logs = capturingLogger();
    return new AppSender({
      apiBase: api.url,
      corpId: "wwcorp",
      corpSecret: SECRET,
      agentId: 1000002,
      logger: logs.logger,
      retry: { attempts: 3, baseDelayMs: 1 },
      ...(now ? { now } : {}),
    });
  }

  const paths = () => api.requests.map((r) => r.path);
  const noSecretsLogged = () => {
    const all = logs.lines.join("");
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/ACCESS_TOKEN_\d/);
    expect(all).not.toContain(ROBOT_KEY);
  };

  it("fetches a token once, caches it, and sends markdown", async () => {
    const sender = app();
    await sender.sendMarkdown("**hello**", { toUser: "zhangsan" });
    await sender.sendMarkdown("again", { toUser: "zhangsan|lisi", toParty: "2" });
    expect(paths()).toEqual(["/cgi-bin/gettoken", "/cgi-bin/message/send", "/cgi-bin/message/send"]);
    expect(api.requests[0]?.query).toEqual({ corpid: "wwcorp", corpsecret: SECRET });
    expect(api.requests[1]?.query).toEqual({ access_token: expect.stringMatching(/^ACCESS_TOKEN_\d+$/) });
    expect(JSON.parse(api.requests[1]?.body ?? "")).toEqual({
      touser: "zhangsan",
      msgtype: "markdown",
      agentid: 1000002,
      markdown: { content: "**hello**" },
    });
    expect(JSON.parse(api.requests[2]?.body ?? "")).toMatchObject({ touser: "zhangsan|lisi", toparty: "2" });
    noSecretsLogged();
  });

  it("renews the token when its lifetime (minus the margin) has passed", async () => {
    let now = 0;
    const sender = app(() => now);
    api.answers.set("/cgi-bin/gettoken", [{ errcode: 0, access_token: "ACCESS_TOKEN_A", expires_in: 7200 }]);
    await sender.sendMarkdown("1", { toUser: "u" });
    now = (7200 - 301) * 1000;
    await sender.sendMarkdown("2", { toUser: "u" });
    now = (7200 - 299) * 1000;
    await sender.sendMarkdown("3", { toUser: "u" });
    expect(paths().filter((p) => p === "/cgi-bin/gettoken")).toHaveLength(2);
  });

  it("shares one token fetch among concurrent sends", async () => {
    const sender = app();
    await Promise.all([1, 2, 3].map((i) => sender.sendMarkdown(String(i), { toUser: "u" })));
    expect(paths().filter((p) => p === "/cgi-bin/gettoken")).toHaveLength(1);
  });

  it.each([42001, 40014])("refreshes the token once on errcode %i and resends", async (errcode) => {
    const sender = app();
    api.answers.set("/cgi-bin/message/send", [
      { errcode, errmsg: "access_token expired, hint: [ACCESS_TOKEN_1]" },
    ]);
    await sender.sendMarkdown("x", { toUser: "u" });
    expect(paths()).toEqual([
      "/cgi-bin/gettoken",
      "/cgi-bin/message/send",
      "/cgi-bin/gettoken",
      "/cgi-bin/message/send",
    ]);
    const [first, second] = [api.requests[1]?.query.access_token, api.requests[3]?.query.access_token];
    expect(first).toMatch(/^ACCESS_TOKEN_\d+$/);
    expect(second).toMatch(/^ACCESS_TOKEN_\d+$/);
    expect(second).not.toBe(first);
    noSecretsLogged();
  });

  it("gives up after one refresh when the new token is refused too", async () => {
    const sender = app();
    api.answers.set("/cgi-bin/message/send", [{ errcode: 42001 }, { errcode: 42001 }]);
    await expect(sender.sendMarkdown("x", { toUser: "u" })).rejects.toMatchObject({ errcode: 42001 });
    expect(paths().filter((p) => p === "/cgi-bin/gettoken")).toHaveLength(2);
  });

  it("retries with backoff while WeCom answers -1 (system busy)", async () => {
    const sender = app();
    api.answers.set("/cgi-bin/message/send", [
      { errcode: -1, errmsg: "system busy" },
      { errcode: -1, errmsg: "system busy" },
    ]);
    await sender.sendMarkdown("x", { toUser: "u" });
    expect(paths().filter((p) => p === "/cgi-bin/message/send")).toHaveLength(3);
    expect(logs.lines.join("")).toContain("Retried a busy or failed WeCom API call");
    noSecretsLogged();
  });

  it("stops retrying after the attempts and reports the error without secrets", async () => {
    const sender = app();
    api.answers.set("/cgi-bin/message/send", [
      { errcode: -1 },
      { errcode: -1 },
      { errcode: -1 },
      { errcode: -1 },
    ]);
    const err = (await sender.sendMarkdown("x", { toUser: "u" }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ errcode: -1, path: expect.stringContaining("/cgi-bin/message/send") });
    expect(err.message).not.toMatch(/ACCESS_TOKEN|access_token=/);
    expect(paths().filter((p) => p === "/cgi-bin/message/send")).toHaveLength(3);
  });

  it("does not retry a definite error, and masks a secret echoed in errmsg", async () => {
    const sender = app();
    api.answers.set("/cgi-bin/gettoken", [
      { errcode: 40001, errmsg: `invalid credential corpsecret ${SECRET}` },
    ]);
    const err = (await sender.sendMarkdown("x", { toUser: "u" }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ errcode: 40001 });
    expect(err.message).not.toContain(SECRET);
    expect(paths()).toEqual(["/cgi-bin/gettoken"]);
  });

  it("needs recipients in app mode", async () => {
    await expect(app().sendMarkdown("x")).rejects.toThrow(/toUser or toParty/);
  });

  it("posts to a group robot, mentioning users, within its size limit", async () => {
    logs = capturingLogger();
    const robot = new RobotSender({
      webhookUrl: `${api.url}/cgi-bin/webhook/send?key=${ROBOT_KEY}`,
      logger: logs.logger,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    api.answers.set("/cgi-bin/webhook/send", [{ errcode: -1 }]);
    await robot.sendMarkdown("状".repeat(3000), { toUser: "zhangsan|@all" });
    expect(paths()).toEqual(["/cgi-bin/webhook/send", "/cgi-bin/webhook/send"]);
    const body = JSON.parse(api.requests[1]?.body ?? "") as {
      msgtype: string;
      markdown: { content: string };
    };
    expect(body.msgtype).toBe("markdown");
    expect(body.markdown.content.startsWith("<@zhangsan>\n")).toBe(true);
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
    noSecretsLogged();
  });

  it("truncates on a character boundary", () => {
    expect(truncateBytes("abc", 10)).toBe("abc");
    const cut = truncateBytes("中文中文中文", 10);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10);
    expect(cut).toBe("中文…");
  });
});
