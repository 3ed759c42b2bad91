/**
 * An HTTP proxy that holds one chosen exchange: either the request (it never reaches the
 * upstream) or the response (the upstream applied the request; the client never hears of it).
 * Put between a process and the API server (or moto's EC2 endpoint), it opens the window
 * between two writes of that process for real, without a hook in the process: the held
 * exchange stays held until the client goes away, and a held request is then dropped, never
 * forwarded. Everything else streams through (watches included), and every request that
 * reached the upstream is recorded in order.
 */
import { rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RequestOptions } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";

/** One request as the proxy saw it: path includes the query string. */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/** Which exchange to hold, and where: before the upstream sees it, or after it answered. */
export interface HoldRule {
  name: string;
  match(r: ProxiedRequest): boolean;
  hold: "request" | "response";
}

/** A held exchange. */
export interface Held {
  rule: string;
  request: ProxiedRequest;
  /** The upstream's status, when the response is held (the request was applied). */
  status?: number;
  /** Set when the client went away while held: a held request was then dropped, never forwarded. */
  dropped: boolean;
}

/** Where the proxy forwards to: a base URL, with client TLS material for https. */
export interface Upstream {
  url: string;
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
}

export interface HoldingProxy {
  url: string;
  /** Every request that reached the upstream, in order. */
  forwarded: ProxiedRequest[];
  held: Held[];
  /** Arms a one-shot rule: the first matching request is held as the rule says. */
  hold(rule: HoldRule): void;
  /** Resolves when the rule's exchange is held. */
  waitForHeld(rule: string, timeoutMs?: number): Promise<Held>;
  close(): Promise<void>;
}

/** The API server of kc's current context, with the TLS material of its user (client certificates). */
export async function kubeUpstream(kc: KubeConfig): Promise<Upstream> {
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers = (opts.headers ?? {}) as Record<string, unknown>;
  if (headers.Authorization || headers.authorization)
    throw new Error(
      "holding proxy: token users are not supported; the test kubeconfig uses client certificates",
    );
  const tls = { ca: opts.ca, cert: opts.cert, key: opts.key } as Upstream["tls"];
  return { url: kc.getCurrentCluster()!.server, tls };
}

/** Where proxyKubeconfig writes the kubeconfig of the proxy on port; close() removes it. */
const kubeconfigPath = (port: number) => join(tmpdir(), `aisre-hold-${port}.kubeconfig.json`);

/** Writes a kubeconfig whose only cluster is the proxy (plain HTTP, no credentials: the proxy adds them). */
export function proxyKubeconfig(proxy: HoldingProxy): string {
  const path = kubeconfigPath(Number(new URL(proxy.url).port));
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "proxy", cluster: { server: proxy.url, "insecure-skip-tls-verify": true } }],
    users: [{ name: "proxy", user: {} }],
    contexts: [{ name: "proxy", context: { cluster: "proxy", user: "proxy" } }],
    "current-context": "proxy",
  };
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** Starts a holding proxy on a free loopback port in front of upstream. */
export async function startHoldingProxy(upstream: Upstream): Promise<HoldingProxy> {
  const target = new URL(upstream.url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const forwarded: ProxiedRequest[] = [];
  const held: Held[] = [];
  const rules: HoldRule[] = [];
  const waiters: Array<{ rule: string; resolve: (h: Held) => void }> = [];
  const sockets = new Set<Socket>();
  let closing = false;

  const noteHeld = (h: Held) => {
    held.push(h);
    for (const w of waiters.filter((x) => x.rule === h.rule)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(h);
    }
  };

  const forward = (
    seen: ProxiedRequest,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
    onResponse: (up: IncomingMessage) => void,
  ) => {
    forwarded.push(seen);
    const outHeaders = { ...headers };
    delete outHeaders.host;
    const up = send(
      {
        hostname: target.hostname,
        port: target.port || (target.protocol === "https:" ? 443 : 80),
        method: seen.method,
        path: seen.path,
        headers: outHeaders,
        ...upstream.tls,
      },
      onResponse,
    );
    up.on("error", () => res.destroy());
    // A client gone (SIGKILL) or a proxy closing ends the upstream exchange too (a watch, say).
    res.on("close", () => up.destroy());
    up.end(body);
  };

  const server = createServer((req, res) => {
    void readBody(req)
      .then((body) => {
        const seen: ProxiedRequest = {
          method: req.method ?? "GET",
          path: req.url ?? "/",
          body: body.toString("utf8"),
        };
        const rule = closing ? undefined : rules.find((r) => r.match(seen));
        if (rule) rules.splice(rules.indexOf(rule), 1);
        if (rule?.hold === "request") {
          // Never forwarded: when the client goes away the request is dropped.
          const h: Held = { rule: rule.name, request: seen, dropped: false };
          res.on("close", () => (h.dropped = true));
          noteHeld(h);
          return;
        }
        forward(seen, req.headers, body, res, (up) => {
          if (rule) {
            // Applied upstream; the answer is read and kept from the client.
            const h: Held = { rule: rule.name, request: seen, status: up.statusCode, dropped: false };
            res.on("close", () => (h.dropped = true));
            up.resume();
            up.on("end", () => noteHeld(h));
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
      })
      .catch(() => res.destroy());
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    held,
    hold: (rule) => rules.push(rule),
    waitForHeld: (rule, timeoutMs = 120_000) => {
      const seen = held.find((h) => h.rule === rule);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const tail = forwarded
            .slice(-8)
            .map((r) => `${r.method} ${r.path}`)
            .join("\n");
          reject(
            new Error(`holding proxy: ${rule} not held within ${timeoutMs} ms; last forwarded:\n${tail}`),
          );
        }, timeoutMs);
        waiters.push({
          rule,
          resolve: (h) => {
            clearTimeout(timer);
            resolve(h);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        rmSync(kubeconfigPath(port), { force: true });
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
