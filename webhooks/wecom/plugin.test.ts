import { Writable } from "node:stream";
import Fastify from "fastify";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { staticApprovers } from "./approvals.ts";
import type { ApproverSource } from "./approvals.ts";
import { wecomPlugin } from "./plugin.ts";
import type { WeComPluginOptions } from "./plugin.ts";
import { chatReads, staticChatIdentities } from "./read-access.ts";
import type { ChatReads } from "./read-access.ts";
import { taskNameForMessage } from "./replay.ts";
import type { Authorizer } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import { MemoryGateway, TEST_SECRETS, openReply, sealEcho, sealMessage, textMessage } from "./testing.ts";
import { WeComNotifier } from "../../notify/wecom/notifier.ts";
import { AppSender } from "../../notify/wecom/senders.ts";
import { startWeComStandIn } from "../../notify/wecom/testing.ts";
import type { WeComStandIn } from "../../notify/wecom/testing.ts";

const CORP_SECRET = "app-secret-never-in-a-message-42";

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

const makeApp = (logger: ReturnType<typeof capture>["logger"]) => Fastify({ loggerInstance: logger });

/** Every WeCom user may read everything (the tests of other behaviour). */
const everyone: ChatReads = { refusal: () => Promise.resolve(undefined) };

/** SubjectAccessReview stand-in: "verb namespace" pairs allowed ("*" = cluster-wide). */
function rbac(allowed: string[]): Authorizer {
  return {
    authenticate: () => Promise.reject(new Error("not used")),
    authorize: async (user, check) => {
      if (!allowed.includes(`${check.verb} ${check.namespace ?? "*"}`))
        throw new HttpError(403, `${user.username} may not ${check.verb} sretasks`);
    },
  };
}

let api: WeComStandIn;
beforeAll(async () => {
  api = await startWeComStandIn();
});
afterAll(() => api.close());

describe("wecomPlugin", () => {
  let app: ReturnType<typeof makeApp>;
  let gateway: MemoryGateway;
  let logs: ReturnType<typeof capture>;
  let approverCalls: [string, string][];
  let msgSeq = 7_000_000_000_000_000;

  async function build(overrides: Partial<WeComPluginOptions> = {}): Promise<void> {
    logs = capture();
    approverCalls = [];
    const approvers: ApproverSource = (ns, name) => {
      approverCalls.push([ns, name]);
      return staticApprovers(["lisi"])(ns, name);
    };
    const sender = new AppSender({
      apiBase: api.url,
      corpId: TEST_SECRETS.corpId,
      corpSecret: CORP_SECRET,
      agentId: 1000002,
      logger: logs.logger,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    app = makeApp(logs.logger);
    await app.register(wecomPlugin, {
      secrets: TEST_SECRETS,
      agentId: 1000002,
      gateway,
      approvers,
      reads: everyone,
      notifier: new WeComNotifier({ sender, logger: logs.logger }),
      namespace: "shop",
      followUp: { intervalMs: 20, timeoutMs: 2000 },
      ...overrides,
    });
    await app.ready();
  }

  beforeEach(async () => {
    gateway = new MemoryGateway();
    api.requests.length = 0;
    await build();
  });
  afterEach(() => app.close());

  async function post(sealed: { query: string; body: string }, contentType = "text/xml") {
    return app.inject({
      method: "POST",
      url: `/wecom/callback?${sealed.query}`,
      headers: { "content-type": contentType },
      payload: sealed.body,
    });
  }

  /** Sends a text as user and returns the decrypted passive reply text. */
  async function say(user: string, content: string, msgId = String(++msgSeq)): Promise<string> {
    const res = await post(sealMessage(textMessage(user, content, msgId)));
    expect(res.statusCode).toBe(200);
    const reply = openReply(res.body);
    expect(reply.to).toBe(user);
    return reply.content;
  }

  const messagesSent = () =>
    api.requests
      .filter((r) => r.path === "/cgi-bin/message/send")
      .map((r) => JSON.parse(r.body) as { touser: string; markdown: { content: string } });

  describe("URL verification (GET)", () => {
    it("answers the decrypted echostr", async () => {
      const res = await app.inject({
        method: "GET",
        url: `/wecom/callback?${sealEcho("1616140317555161061")}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe("1616140317555161061");
    });

    it("refuses a bad signature with 401", async () => {
      const query = sealEcho("x").replace(/msg_signature=[0-9a-f]/, (m) =>
        m.endsWith("0") ? `${m.slice(0, -1)}1` : `${m.slice(0, -1)}0`,
      );
      const res = await app.inject({ method: "GET", url: `/wecom/callback?${query}` });
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe("invalid signature");
    });

    it("refuses an echostr for another CorpID with 401", async () => {
      const res = await app.inject({
        method: "GET",
        url: `/wecom/callback?${sealEcho("x", { receiveId: "wwother" })}`,
      });
      expect(res.statusCode).toBe(401);
    });

    it("refuses a stale timestamp and a replayed nonce with 403", async () => {
      const stale = String(Math.floor(Date.now() / 1000) - 600);
      expect(
        (await app.inject({ method: "GET", url: `/wecom/callback?${sealEcho("x", { timestamp: stale })}` }))
          .statusCode,
      ).toBe(403);
      const query = sealEcho("x");
      expect((await app.inject({ method: "GET", url: `/wecom/callback?${query}` })).statusCode).toBe(200);
      const replay = await app.inject({ method: "GET", url: `/wecom/callback?${query}` });
      expect(replay.statusCode).toBe(403);
      expect(replay.body).toBe("replayed request");
    });

    it("refuses a request without the protocol parameters with 400", async () => {
      expect((await app.inject({ method: "GET", url: "/wecom/callback?echostr=abc" })).statusCode).toBe(400);
    });
  });

  describe("messages (POST)", () => {
    it("refuses a bad signature (401), another CorpID (401), a stale (403) or replayed (403) message", async () => {
      const good = sealMessage(textMessage("zhangsan", "帮助", "1"));
      const tampered = { ...good, query: good.query.replace(/nonce=[^&]+/, "nonce=other") };
      expect((await post(tampered)).statusCode).toBe(401);
      expect(
        (await post(sealMessage(textMessage("zhangsan", "帮助", "2"), { receiveId: "wwother" }))).statusCode,
      ).toBe(401);
      expect((await post(sealMessage(textMessage("zhangsan", "帮助", "3", "wwother")))).statusCode).toBe(401);
      const stale = String(Math.floor(Date.now() / 1000) - 301);
      expect(
        (await post(sealMessage(textMessage("zhangsan", "帮助", "4"), { timestamp: stale }))).statusCode,
      ).toBe(403);
      expect((await post(good)).statusCode).toBe(200);
      expect((await post(good)).statusCode).toBe(403);
      expect(gateway.tasks.size).toBe(0);
    });

    it("takes the XML whatever the Content-Type says, or none", async () => {
      for (const headers of [
        {},
        { "content-type": "application/octet-stream" },
        { "content-type": "text/plain" },
      ]) {
        const sealed = sealMessage(textMessage("zhangsan", "help", String(++msgSeq)));
        const res = await app.inject({
          method: "POST",
          url: `/wecom/callback?${sealed.query}`,
          headers,
          payload: sealed.body,
        });
        expect(res.statusCode).toBe(200);
        expect(openReply(res.body).content).toContain("AI SRE assistant commands");
      }
    });

    it("refuses malformed bodies with 400 and oversized ones with 413", async () => {
      const sealed = sealMessage(textMessage("zhangsan", "帮助", "1"));
      expect((await post({ ...sealed, body: "<xml><Encrypt>" })).statusCode).toBe(400);
      expect((await post({ ...sealed, body: '{"Encrypt":"x"}' }, "application/json")).statusCode).toBe(400);
      expect((await post({ query: "", body: sealed.body })).statusCode).toBe(400);
      expect((await post({ ...sealed, body: `<xml><A>${"x".repeat(70_000)}</A></xml>` })).statusCode).toBe(
        413,
      );
    });

    it("answers an event with an empty 200 and other message types with a hint", async () => {
      const created = Math.floor(Date.now() / 1000);
      const event = `<xml><ToUserName>${TEST_SECRETS.corpId}</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>${created}</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1000002</AgentID></xml>`;
      const res = await post(sealMessage(event));
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe("");
      const image = `<xml><ToUserName>${TEST_SECRETS.corpId}</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>${created}</CreateTime><MsgType>image</MsgType><PicUrl>http://x</PicUrl><MediaId>m</MediaId><MsgId>99</MsgId><AgentID>1000002</AgentID></xml>`;
      expect(openReply((await post(sealMessage(image))).body).content).toContain("只支持文字消息");
    });

    it("refuses a message for another application with 401", async () => {
      const other = textMessage("zhangsan", "帮助", "5").replace(
        "<AgentID>1000002</AgentID>",
        "<AgentID>7</AgentID>",
      );
      expect((await post(sealMessage(other))).statusCode).toBe(401);
    });
  });

  describe("commands", () => {
    it.each([
      ["诊断 shop/deployment/checkout", "诊断任务 shop/wecom-"],
      ["diagnose shop/Deployment/checkout", "diagnosis task shop/wecom-"],
    ])("%s creates an SreTask named after the MsgId", async (text, expected) => {
      const reply = await say("zhangsan", text, "1234567890123456");
      const name = taskNameForMessage(TEST_SECRETS.corpId, "1234567890123456");
      expect(reply).toContain(expected);
      expect(reply).toContain(name);
      expect(gateway.tasks.get(`shop/${name}`)?.spec).toEqual({
        source: "WeCom",
        description: text,
        requestedBy: "zhangsan",
        target: { kind: "Deployment", namespace: "shop", name: "checkout" },
      });
    });

    it("turns free text into a diagnosis", async () => {
      expect(await say("zhangsan", "checkout 服务为什么一直重启")).toContain("已创建");
      expect(await say("zhangsan", "why does checkout keep restarting")).toContain("created");
      expect([...gateway.tasks.values()].map((t) => t.spec.description)).toEqual([
        "checkout 服务为什么一直重启",
        "why does checkout keep restarting",
      ]);
    });

    it("deduplicates a MsgId: a retried message creates one task and gets the same task back", async () => {
      const first = await say("zhangsan", "诊断 shop/deployment/checkout", "555");
      const again = await say("zhangsan", "诊断 shop/deployment/checkout", "555");
      expect(gateway.tasks.size).toBe(1);
      const ref = /shop\/wecom-[0-9a-f]+/.exec(first)?.[0];
      expect(again).toContain("已处理过");
      expect(again).toContain(ref);
    });

    it("treats a task that already exists (created by another replica) as a duplicate", async () => {
      await say("zhangsan", "diagnose shop/deployment/checkout", "777");
      await app.close();
      await build(); // a fresh replica: empty MsgId cache
      const reply = await say("zhangsan", "diagnose shop/deployment/checkout", "777");
      expect(reply).toContain("already handled");
      expect(gateway.tasks.size).toBe(1);
    });

    it.each([
      ["状态", "最近的任务"],
      ["status", "Latest tasks"],
    ])("%s lists the latest tasks", async (text, expected) => {
      await say("zhangsan", "diagnose shop/deployment/checkout");
      const reply = await say("zhangsan", text);
      expect(reply).toContain(expected);
      expect(reply).toContain("shop/wecom-");
    });

    it.each([
      ["状态", "目前没有任务"],
      ["status", "There are no tasks"],
    ])("%s with no tasks says so", async (text, expected) => {
      expect(await say("zhangsan", text)).toContain(expected);
    });

    it.each([
      ["zh", "状态 shop/", "任务 shop/", "待审批", "批准 shop/plan-1", "找不到任务 shop/nope"],
      [
        "en",
        "status shop/",
        "Task shop/",
        "awaiting approval",
        '"approve shop/plan-1"',
        "Task shop/nope not found",
      ],
    ])("status of one task in %s", async (...[, prefix, head, phase, hint, notFound]) => {
      await say("zhangsan", "diagnose shop/deployment/checkout", "42");
      const name = taskNameForMessage(TEST_SECRETS.corpId, "42");
      const task = gateway.tasks.get(`shop/${name}`) as SreTask;
      task.status = { phase: "AwaitingApproval", remediationPlanRef: { name: "plan-1" } };
      const reply = await say("zhangsan", `${prefix}${name}`);
      expect(reply).toContain(`${head}${name}`);
      expect(reply).toContain(phase);
      expect(reply).toContain(hint);
      expect(await say("zhangsan", `${prefix}nope`)).toContain(notFound);
    });

    it.each([
      ["批准 shop/plan-1", "Approved", "已批准修复方案 shop/plan-1"],
      ["approve shop/plan-1", "Approved", "Approved remediation plan shop/plan-1"],
      ["拒绝 shop/plan-1 风险太高", "Rejected", "已拒绝修复方案 shop/plan-1"],
      ["reject shop/plan-1 too risky", "Rejected", "Rejected remediation plan shop/plan-1"],
    ])("%s by an approver records the decision as the verified sender", async (text, decision, expected) => {
      gateway.addPlan("shop", "plan-1");
      expect(await say("lisi", text)).toContain(expected);
      expect(gateway.decisions).toEqual([
        { namespace: "shop", name: "plan-1", decision, decidedBy: "lisi", via: "WeCom" },
      ]);
      expect(approverCalls).toEqual([["shop", "default"]]);
    });

    it.each([
      ["批准 shop/plan-1", "你不是修复方案 shop/plan-1 的审批人"],
      ["approve shop/plan-1", "You are not an approver of remediation plan shop/plan-1"],
      ["reject shop/plan-1 lisi says so", "You are not an approver"],
    ])("%s by someone not in AgentConfig approvers is refused", async (text, expected) => {
      gateway.addPlan("shop", "plan-1");
      expect(await say("zhangsan", text)).toContain(expected);
      expect(gateway.decisions).toEqual([]);
      expect(logs.lines.join("")).toContain("Refused a WeCom plan decision from a non-approver");
    });

    it("refuses everyone when the AgentConfig is missing and answers when approvers cannot be read", async () => {
      gateway.addPlan("shop", "plan-1");
      await app.close();
      await build({ approvers: () => Promise.resolve(undefined) });
      expect(await say("lisi", "approve shop/plan-1")).toContain("not an approver");
      await app.close();
      await build({ approvers: () => Promise.reject(new Error("apiserver down")) });
      expect(await say("lisi", "approve shop/plan-1")).toContain("cannot be checked");
      expect(gateway.decisions).toEqual([]);
    });

    it("answers missing plans, plans not awaiting approval, and final decisions", async () => {
      expect(await say("lisi", "approve shop/nope")).toBe("Remediation plan shop/nope not found.");
      gateway.addPlan("shop", "pending", "Pending");
      expect(await say("lisi", "approve shop/pending")).toContain("not awaiting approval");
      gateway.addPlan("shop", "plan-1");
      await say("lisi", "reject shop/plan-1");
      expect(await say("lisi", "approve shop/plan-1")).toContain("is Rejected, not awaiting approval");
      expect(await say("lisi", "reject shop/plan-1")).toBe("Rejected remediation plan shop/plan-1.");
      expect(gateway.decisions).toHaveLength(1);
    });

    describe("reads as the mapped Kubernetes identity", () => {
      beforeEach(async () => {
        await app.close();
        const identities = staticChatIdentities({ wangwu: { user: "wangwu@corp", groups: ["sre"] } });
        await build({
          reads: chatReads(
            identities,
            rbac(["create shop", "get shop", "list shop", "create web", "get web"]),
          ),
        });
      });

      it.each([
        ["诊断 shop/deployment/checkout", "没有对应的 Kubernetes 身份"],
        ["diagnose shop/deployment/checkout", "not mapped to a Kubernetes identity"],
        ["checkout keeps restarting", "not mapped to a Kubernetes identity"],
        ["状态", "没有对应的 Kubernetes 身份"],
        ["status shop/t1", "not mapped to a Kubernetes identity"],
      ])("an unmapped user reads nothing: %s", async (text, expected) => {
        expect(await say("zhangsan", text)).toContain(expected);
        expect(gateway.tasks.size).toBe(0);
        expect(logs.lines.join("")).toContain("Refused a WeCom read");
      });

      it("a mapped user reads what RBAC lets their identity read, and nothing else", async () => {
        expect(await say("wangwu", "diagnose shop/deployment/checkout")).toContain("created");
        expect(await say("wangwu", "诊断 bank/deployment/ledger")).toContain(
          "你的 Kubernetes 身份 wangwu@corp 无权查看命名空间 bank 的任务",
        );
        expect(await say("wangwu", "status bank/t1")).toBe(
          "Your Kubernetes identity wangwu@corp may not read tasks in namespace bank.",
        );
        // The task goes to its target's namespace, never the default one with a foreign target.
        expect(await say("wangwu", "diagnose web/deployment/api")).toContain("task web/wecom-");
        expect([...gateway.tasks.keys()].map((k) => k.split("/")[0])).toEqual(["shop", "web"]);
        // No cluster-wide list: "status" lists the default namespace (shop) only.
        const list = await say("wangwu", "status");
        expect(list).toContain("shop/wecom-");
        expect(list).not.toContain("web/");
      });
    });

    it.each([
      ["帮助", "AI SRE 助手用法"],
      ["help", "AI SRE assistant commands"],
      ["批准", "用法：批准"],
      ["approve", "Usage: approve"],
    ])("%s answers with help text", async (text, expected) => {
      expect(await say("zhangsan", text)).toContain(expected);
    });
  });

  describe("within the 5 s budget", () => {
    it("acknowledges a slow command and sends the result through the message API", async () => {
      await app.close();
      await build({ replyDeadlineMs: 50 });
      gateway.addPlan("shop", "plan-1");
      gateway.delayMs = 400;
      const started = Date.now();
      expect(await say("lisi", "approve shop/plan-1")).toContain("working on it");
      expect(Date.now() - started).toBeLessThan(390);
      await expect.poll(() => messagesSent().length, { timeout: 5000 }).toBe(1);
      expect(messagesSent()[0]).toMatchObject({
        touser: "lisi",
        markdown: { content: expect.stringContaining("Approved remediation plan shop/plan-1") },
      });
      expect(gateway.decisions).toHaveLength(1);
    });

    it("follows a task until it settles and tells the requester, without secrets or log lines", async () => {
      const reply = await say(
        "zhangsan",
        "诊断 shop/deployment/checkout 数据库密码 password=hunter2",
        "9001",
      );
      expect(reply).toContain("有结果后会通知你");
      const name = taskNameForMessage(TEST_SECRETS.corpId, "9001");
      const task = gateway.tasks.get(`shop/${name}`) as SreTask;
      task.status = { phase: "Diagnosing" };
      await new Promise((r) => setTimeout(r, 60));
      expect(messagesSent()).toHaveLength(0);
      gateway.addPlan("shop", "plan-1");
      task.status = {
        phase: "AwaitingApproval",
        remediationPlanRef: { name: "plan-1" },
        message: "2024-05-01T10:00:00Z ERROR dial tcp: password=hunter2",
        rootCause: {
          category: "MissingConfig",
          resource: { kind: "ConfigMap", namespace: "shop", name: "checkout" },
          summary: "DATABASE_URL points at postgres://app:hunter2@db:5432 which refuses connections",
          confidence: 0.9,
        },
      } as SreTask["status"];
      await expect.poll(() => messagesSent().length, { timeout: 3000 }).toBe(1);
      const sent = messagesSent()[0];
      expect(sent?.touser).toBe("zhangsan");
      expect(sent?.markdown.content).toContain("修复方案待审批");
      expect(sent?.markdown.content).toContain("批准 shop/plan-1");
      for (const r of api.requests) {
        expect(r.body).not.toMatch(/hunter2|ERROR dial/);
        expect(r.body).not.toContain(CORP_SECRET);
        expect(r.body).not.toContain(TEST_SECRETS.encodingAESKey);
        expect(r.body).not.toContain(TEST_SECRETS.token);
      }
    });
  });

  it("never logs secrets, tokens or message text", async () => {
    gateway.addPlan("shop", "plan-1");
    await say("zhangsan", "checkout 服务为什么一直重启 token=abc123");
    await say("lisi", "approve shop/plan-1");
    await app.close();
    const all = logs.lines.join("");
    for (const secret of [
      TEST_SECRETS.token,
      TEST_SECRETS.encodingAESKey,
      CORP_SECRET,
      "abc123",
      "一直重启",
      "ACCESS_TOKEN_",
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain("Received a WeCom command");
  });
});
