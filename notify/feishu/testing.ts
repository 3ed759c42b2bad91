/**
 * A local stand-in for Feishu/Lark's custom bot webhook (POST /open-apis/bot/v2/hook/<token>),
 * for tests. It checks what Feishu checks and answers as Feishu does: an unknown token is code
 * 19001; for a bot with signature verification, a missing or wrong sign or a timestamp more than
 * an hour off is code 19021; a body without a known msg_type is code 9499; else
 * {"code":0,"data":{},"msg":"success"}. Queued answers (e.g. code 11232, frequency limited) come first.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { FEISHU_MAX_SKEW_SECONDS, feishuSign } from "./sign.ts";

/** A post the stand-in accepted or refused. */
export interface FeishuPost {
  token: string;
  body: Record<string, unknown>;
  code: number;
}

/** The running stand-in. */
export interface FeishuStandIn {
  url: string;
  webhook(token: string): string;
  /** Registers a bot; secret: its signing secret (undefined: no verification). */
  bot(token: string, secret?: string): void;
  posts: FeishuPost[];
  queue: { status: number; body: object }[];
  close(): Promise<void>;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Verifies a body's signature as Feishu does; true when it holds. */
export function verifyFeishu(secret: string, timestamp: unknown, sign: unknown, nowMs: number): boolean {
  if (typeof timestamp !== "string" && typeof timestamp !== "number") return false;
  if (typeof sign !== "string") return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > FEISHU_MAX_SKEW_SECONDS) return false;
  return same(sign, feishuSign(secret, String(timestamp)));
}

/** Starts the stand-in on loopback. */
export async function startFeishuStandIn(now: () => number = Date.now): Promise<FeishuStandIn> {
  const bots = new Map<string, string | undefined>();
  const posts: FeishuPost[] = [];
  const queue: { status: number; body: object }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = (status: number, body: object) =>
        res
          .writeHead(status, { "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify(body));
      const queued = queue.shift();
      if (queued) return answer(queued.status, queued.body);
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const token = path.startsWith("/open-apis/bot/v2/hook/")
        ? path.slice("/open-apis/bot/v2/hook/".length)
        : "";
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const record = (code: number, msg: string) => {
        posts.push({ token, body, code });
        answer(200, { code, data: {}, msg });
      };
      if (req.method !== "POST" || !bots.has(token))
        return record(19001, "param invalid: incoming webhook access token invalid");
      const secret = bots.get(token);
      if (secret && !verifyFeishu(secret, body.timestamp, body.sign, now()))
        return record(19021, "sign match fail or timestamp is not within one hour from current time");
      if (!["text", "post", "image", "share_chat", "interactive"].includes(String(body.msg_type)))
        return record(9499, "Bad Request");
      record(0, "success");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    webhook: (token) => `${base}/open-apis/bot/v2/hook/${token}`,
    bot: (token, secret) => void bots.set(token, secret),
    posts,
    queue,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
