/**
 * A local HTTP stand-in for the WeCom API that records every request: gettoken, message/send and
 * the group robot webhook (used by the unit tests beside the code, the sidecar's and the
 * operator's integration tests).
 */
import { createServer } from "node:http";
import type { IncomingMessage as HttpRequest, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the WeCom stand-in received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
}

/** A local HTTP server standing in for qyapi.weixin.qq.com. */
export interface WeComStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Queued answers per path; when empty the default (success) answer is used. */
  answers: Map<string, object[]>;
  close(): Promise<void>;
}

async function readBody(req: HttpRequest): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the WeCom API stand-in on loopback: gettoken, message/send and the robot webhook. */
export async function startWeComStandIn(): Promise<WeComStandIn> {
  const requests: RecordedRequest[] = [];
  const answers = new Map<string, object[]>();
  let tokens = 0;
  const defaults: Record<string, () => object> = {
    "/cgi-bin/gettoken": () => ({
      errcode: 0,
      errmsg: "ok",
      access_token: `ACCESS_TOKEN_${++tokens}`,
      expires_in: 7200,
    }),
    "/cgi-bin/message/send": () => ({ errcode: 0, errmsg: "ok", msgid: "m1" }),
    "/cgi-bin/webhook/send": () => ({ errcode: 0, errmsg: "ok" }),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
      });
      const queued = answers.get(url.pathname)?.shift();
      const answer = queued ?? defaults[url.pathname]?.() ?? { errcode: 404, errmsg: "no such API" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
