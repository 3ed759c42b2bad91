/**
 * A local stand-in for Slack incoming webhooks (POST /services/T…/B…/<secret>), for tests. It
 * answers as Slack does: 200 "ok"; 404 "no_service" for an unknown or revoked URL; 400
 * "invalid_payload" for a body that is not JSON, "no_text" without text or blocks; queued answers
 * (e.g. 429 with Retry-After, 500) first. Incoming webhooks carry no signature: the URL is checked.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A post the stand-in accepted or refused. */
export interface SlackPost {
  path: string;
  body: Record<string, unknown>;
  status: number;
}

/** The running stand-in. */
export interface SlackStandIn {
  url: string;
  /** Registers an incoming webhook and returns its URL. */
  hook(team: string, bot: string, secret: string): string;
  posts: SlackPost[];
  queue: { status: number; body: string; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

/** Starts the stand-in on loopback. */
export async function startSlackStandIn(): Promise<SlackStandIn> {
  const hooks = new Set<string>();
  const posts: SlackPost[] = [];
  const queue: SlackStandIn["queue"] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const answer = (status: number, text: string, headers: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "text/html", ...headers }).end(text);
      const queued = queue.shift();
      if (queued) return answer(queued.status, queued.body, queued.headers);
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        body =
          typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const record = (status: number, text: string) => {
        posts.push({ path, body: body ?? {}, status });
        answer(status, text);
      };
      if (req.method !== "POST" || !hooks.has(path)) return record(404, "no_service");
      if (!body) return record(400, "invalid_payload");
      if (typeof body.text !== "string" && !Array.isArray(body.blocks)) return record(400, "no_text");
      record(200, "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    hook: (team, bot, secret) => {
      const path = `/services/${team}/${bot}/${secret}`;
      hooks.add(path);
      return `${base}${path}`;
    },
    posts,
    queue,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
