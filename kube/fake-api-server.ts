import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";

/** One request the fake API server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: unknown;
}

/** The reply to a request: status and JSON body. */
export interface FakeReply {
  status?: number;
  body?: unknown;
}

/** A loopback HTTP server standing in for kube-apiserver, and a KubeConfig pointing at it. */
export interface FakeApiServer {
  kc: KubeConfig;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a plain-HTTP fake API server for unit tests of the real client-node request
 * path (URLs, verbs, content types, bodies). `reply` decides each answer.
 */
export async function startFakeApiServer(
  reply: (req: RecordedRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (text) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers["content-type"],
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      const out = await reply(recorded);
      res.writeHead(out.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(out.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "fake", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "fake", token: "token" }],
    contexts: [{ name: "fake", cluster: "fake", user: "fake", namespace: "default" }],
    currentContext: "fake",
  });
  return {
    kc,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
