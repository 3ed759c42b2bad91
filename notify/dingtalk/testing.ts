/**
 * A local stand-in for DingTalk's custom robot webhook (POST /robot/send?access_token=…), for
 * tests. It checks what DingTalk checks and answers as DingTalk does: an unknown access_token is
 * errcode 300001; for a robot with 加签, a missing or wrong sign or a timestamp more than an hour
 * off is errcode 310000; a body without a valid msgtype is errcode 40035; else {"errcode":0,"errmsg":"ok"}.
 * Queued answers (e.g. {"errcode":-1} busy) are served first.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { DINGTALK_MAX_SKEW_MS, dingtalkSign } from "./sign.ts";

/** A post the stand-in accepted or refused. */
export interface DingTalkPost {
  token: string;
  timestamp?: string;
  sign?: string;
  body: Record<string, unknown>;
  errcode: number;
}

/** The running stand-in. */
export interface DingTalkStandIn {
  url: string;
  /** The webhook URL of a robot. */
  webhook(token: string): string;
  /** Registers a robot; secret: its 加签 secret (undefined: no signing). */
  robot(token: string, secret?: string): void;
  posts: DingTalkPost[];
  /** Answers served before the checks (status, body), e.g. busy. */
  queue: { status: number; body: object }[];
  close(): Promise<void>;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Verifies a request's signature as DingTalk does; the errmsg on failure. */
export function verifyDingTalk(
  secret: string,
  timestamp: string | null,
  sign: string | null,
  nowMs: number,
): string | undefined {
  if (!timestamp || !sign) return "sign not match";
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs - ts) > DINGTALK_MAX_SKEW_MS) return "invalid timestamp";
  // The query value was URL-decoded by URLSearchParams: compare the Base64 form.
  return same(sign, dingtalkSign(secret, timestamp)) ? undefined : "sign not match";
}

/** Starts the stand-in on loopback. */
export async function startDingTalkStandIn(now: () => number = Date.now): Promise<DingTalkStandIn> {
  const robots = new Map<string, string | undefined>();
  const posts: DingTalkPost[] = [];
  const queue: { status: number; body: object }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const answer = (status: number, body: object) =>
        res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify(body));
      const queued = queue.shift();
      if (queued) return answer(queued.status, queued.body);
      const token = url.searchParams.get("access_token") ?? "";
      const timestamp = url.searchParams.get("timestamp") ?? undefined;
      const sign = url.searchParams.get("sign") ?? undefined;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const record = (errcode: number, errmsg: string) => {
        posts.push({ token, timestamp, sign, body, errcode });
        answer(200, { errcode, errmsg });
      };
      if (req.method !== "POST" || url.pathname !== "/robot/send" || !robots.has(token))
        return record(300001, "token is not exist");
      const secret = robots.get(token);
      if (secret) {
        const refused = verifyDingTalk(secret, timestamp ?? null, sign ?? null, now());
        if (refused)
          return record(310000, `${refused}, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]`);
      }
      if (!["text", "markdown", "link", "actionCard", "feedCard"].includes(String(body.msgtype)))
        return record(40035, "缺少参数 json");
      record(0, "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    webhook: (token) => `${base}/robot/send?access_token=${encodeURIComponent(token)}`,
    robot: (token, secret) => void robots.set(token, secret),
    posts,
    queue,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
