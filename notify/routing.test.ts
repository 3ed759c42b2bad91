import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AgentConfig, SreTask } from "../crds/index.ts";
import { typeMeta } from "../crds/index.ts";
import type { Notification, NotificationChannel, Recipients } from "./channel.ts";
import { NotificationRouter } from "./routing.ts";
import type { SecretReader } from "./routing.ts";
import { startWeComStandIn } from "./wecom/testing.ts";
import type { WeComStandIn } from "./wecom/testing.ts";
import { wecomProvider } from "./wecom/provider.ts";

const APP_SECRET = "team-app-secret-never-logged-0123";
const ROBOT_KEY = "team-robot-key-never-logged-4567";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

class FakeChannel implements NotificationChannel {
  readonly sent: { notification: Notification; recipients?: Recipients }[] = [];
  ok = true;
  readonly name: string;
  constructor(name = "fake") {
    this.name = name;
  }
  async send(notification: Notification, recipients?: Recipients): Promise<boolean> {
    this.sent.push(recipients ? { notification, recipients } : { notification });
    return this.ok;
  }
}

const task = (namespace: string): SreTask => ({
  ...typeMeta("SreTask"),
  metadata: { namespace, name: "t1" },
  spec: { source: "Alertmanager", description: "checkout crashlooping" },
  status: { phase: "Diagnosed" },
});
const config = (namespace: string, wecom?: object, name = "default"): AgentConfig =>
  ({
    ...typeMeta("AgentConfig"),
    metadata: { namespace, name },
    spec: wecom ? { notifications: { wecom } } : {},
  }) as AgentConfig;

describe("NotificationRouter with the WeCom provider", () => {
  let api: WeComStandIn;
  let secretValues: Record<string, string>;
  const reads: string[] = [];
  const secrets: SecretReader = async (ns, ref) => {
    reads.push(`${ns}/${ref.name}/${ref.key}`);
    return secretValues[`${ns}/${ref.name}/${ref.key}`];
  };
  const appSpec = {
    mode: "app",
    corpId: "ww-team",
    agentId: 1000009,
    appSecretRef: { name: "wecom", key: "secret" },
    toUser: "alice|bob",
  };
  const robotSpec = { mode: "robot", robotWebhookSecretRef: { name: "robot", key: "url" }, toUser: "carol" };

  beforeAll(async () => {
    api = await startWeComStandIn();
  });
  afterAll(async () => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    reads.length = 0;
    secretValues = {
      "team/wecom/secret": APP_SECRET,
      "team/robot/url": `${api.url}/cgi-bin/webhook/send?key=${ROBOT_KEY}`,
    };
  });

  function router(defaults: NotificationChannel[], logger = pino({ level: "silent" })) {
    const provider = wecomProvider({ logger, apiBase: api.url, lang: "en" });
    return new NotificationRouter({ providers: [provider], defaults, secrets, logger });
  }

  it("sends to the namespace's own app recipients, with the Secret read at send time", async () => {
    const fallback = new FakeChannel("wecom");
    const { sent, route } = await router([fallback]).send(
      { kind: "Diagnosed", task: task("team") },
      config("team", appSpec),
    );
    expect(sent).toBe(true);
    expect(route).toMatchObject({ source: "AgentConfig", agentConfig: "team/default" });
    expect(fallback.sent).toEqual([]);
    expect(reads).toEqual(["team/wecom/secret"]);
    const token = api.requests.find((r) => r.path === "/cgi-bin/gettoken");
    expect(token?.query).toMatchObject({ corpid: "ww-team", corpsecret: APP_SECRET });
    const message = api.requests.find((r) => r.path === "/cgi-bin/message/send");
    expect(JSON.parse(message!.body)).toMatchObject({ touser: "alice|bob", agentid: 1000009 });
    expect(JSON.parse(message!.body).markdown.content).toContain("> Task: team/t1");
  });

  it("keeps one channel (and its access token) per AgentConfig while settings and Secret stay", async () => {
    const r = router([]);
    const cfg = config("team", appSpec);
    const first = await r.route(cfg);
    const second = await r.route(cfg);
    expect(second.channels[0]).toBe(first.channels[0]);
    await r.send({ kind: "Diagnosed", task: task("team") }, cfg);
    await r.send({ kind: "Failed", task: task("team") }, cfg);
    expect(api.requests.filter((q) => q.path === "/cgi-bin/gettoken")).toHaveLength(1);
    secretValues["team/wecom/secret"] = `${APP_SECRET}-rotated`;
    const third = await r.route(cfg);
    expect(third.channels[0]).not.toBe(first.channels[0]);
  });

  it("posts to the namespace's robot, mentioning its users", async () => {
    const { sent } = await router([]).send({ kind: "Failed", task: task("team") }, config("team", robotSpec));
    expect(sent).toBe(true);
    const post = api.requests.find((r) => r.path === "/cgi-bin/webhook/send");
    expect(post?.query.key).toBe(ROBOT_KEY);
    expect(JSON.parse(post!.body).markdown.content).toMatch(/^<@carol>\n/);
  });

  it("falls back to the operator default when the AgentConfig sets no notifications, or there is none", async () => {
    const fallback = new FakeChannel("wecom");
    const r = router([fallback]);
    expect(await r.send({ kind: "Diagnosed", task: task("other") }, config("other"))).toMatchObject({
      sent: true,
      route: { source: "default" },
    });
    expect(await r.send({ kind: "Diagnosed", task: task("other") }, undefined)).toMatchObject({
      sent: true,
      route: { source: "default" },
    });
    const empty = { ...config("other"), spec: { notifications: {} } } as AgentConfig;
    expect((await r.route(empty)).source).toBe("default");
    expect(fallback.sent).toHaveLength(2);
    expect(fallback.sent[0]).not.toHaveProperty("recipients");
    expect(reads).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("sends nothing when neither the AgentConfig nor the environment configures a channel", async () => {
    const r = router([]);
    expect(await r.route(config("other"))).toEqual({ source: "none", channels: [] });
    expect(await r.send({ kind: "Diagnosed", task: task("other") }, undefined)).toEqual({
      sent: false,
      route: { source: "none", channels: [] },
    });
  });

  it("reports a failed channel as not sent", async () => {
    const fallback = new FakeChannel();
    fallback.ok = false;
    expect((await router([fallback]).send({ kind: "Diagnosed", task: task("x") }, undefined)).sent).toBe(
      false,
    );
  });

  it("does not fall back when the namespace's Secret is missing, and logs names only", async () => {
    const { logger, lines } = capture();
    const fallback = new FakeChannel("wecom");
    delete secretValues["team/wecom/secret"];
    const result = await router([fallback], logger).send(
      { kind: "Diagnosed", task: task("team") },
      config("team", appSpec),
    );
    expect(result).toEqual({ sent: false });
    expect(fallback.sent).toEqual([]);
    expect(api.requests).toEqual([]);
    const log = lines.join("");
    expect(log).toContain("Skipped a notification");
    expect(log).toContain("spec.notifications.wecom.appSecretRef: Secret team/wecom has no key secret");
  });

  it("refuses a robot Secret that is not a URL without quoting it", async () => {
    const { logger, lines } = capture();
    secretValues["team/robot/url"] = `ftp://example/${ROBOT_KEY}`;
    const result = await router([], logger).send(
      { kind: "Failed", task: task("team") },
      config("team", robotSpec),
    );
    expect(result.sent).toBe(false);
    expect(lines.join("")).toContain("Secret team/robot key url must be an http(s) URL");
  });

  it("never logs a Secret value, sent or failed", async () => {
    const { logger, lines } = capture();
    api.answers.set("/cgi-bin/message/send", [
      { errcode: 60020, errmsg: `not allowed, secret ${APP_SECRET}` },
    ]);
    api.answers.set("/cgi-bin/webhook/send", [{ errcode: 93000, errmsg: `invalid key ${ROBOT_KEY}` }]);
    const r = router([], logger);
    expect((await r.send({ kind: "Diagnosed", task: task("team") }, config("team", appSpec))).sent).toBe(
      false,
    );
    expect((await r.send({ kind: "Failed", task: task("team") }, config("team", robotSpec))).sent).toBe(
      false,
    );
    expect((await r.send({ kind: "Failed", task: task("team") }, config("team", appSpec))).sent).toBe(true);
    const log = lines.join("");
    expect(log).toContain("Failed to send a WeCom message");
    expect(log).not.toContain(APP_SECRET);
    expect(log).not.toContain(ROBOT_KEY);
  });
});
