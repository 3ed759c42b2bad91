/**
 * A loopback stand-in of the operations platform's automation API for tests: POST
 * /api/automation/execute (Bearer token, JSON body checked field by field, Idempotency-Key
 * honoured) and GET /api/automation/executions/{id}. Each script behaves as told: succeeds or
 * fails after one "running" read, fails its dry run, hangs in running, or answers a real run
 * too late (a timeout).
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How a script of the stand-in behaves. */
export type ScriptBehaviour = "succeed" | "fail" | "fail-dry-run" | "hang" | "slow";

/** One request the stand-in received. */
export interface PlatformCall {
  method: string;
  path: string;
  auth: string | undefined;
  idempotencyKey: string | undefined;
  body: Record<string, unknown> | undefined;
}

interface Run {
  id: string;
  script: string;
  dryRun: boolean;
  reads: number;
}

/** A running stand-in: its URL, what it received, and close. */
export interface PlatformStandIn {
  url: string;
  calls: PlatformCall[];
  /** Scripts actually started (dry runs and repeated keys excluded). */
  started: () => string[];
  close: () => Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/** The body's problem, naming the field, or undefined when it is well formed. */
function bodyProblem(b: Record<string, unknown>): string | undefined {
  if (typeof b.script_id !== "string" || !b.script_id) return "script_id must be a non-empty string";
  if (typeof b.initiated_by !== "string" || !b.initiated_by) return "initiated_by must be a non-empty string";
  const p = b.parameters;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return "parameters must be an object";
  if (Object.values(p).some((v) => typeof v !== "string")) return "parameters values must be strings";
  if (b.dry_run !== undefined && typeof b.dry_run !== "boolean") return "dry_run must be a boolean";
  return undefined;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
};

/** Starts the stand-in on a loopback port; scripts not in behaviours are unknown (404). */
export async function startPlatform(
  token: string,
  behaviours: Record<string, ScriptBehaviour>,
): Promise<PlatformStandIn> {
  const calls: PlatformCall[] = [];
  const runs = new Map<string, Run>();
  const byKey = new Map<string, Run>();
  const state = (r: Run) => {
    const b = behaviours[r.script];
    if (r.dryRun) return b === "fail-dry-run" ? "failed" : "succeeded";
    if (r.reads > 1) return b === "fail" ? "failed" : b === "hang" ? "running" : "succeeded";
    return r.reads === 0 ? "queued" : "running";
  };
  const answer = (r: Run) => ({
    execution_id: r.id,
    status: state(r),
    dry_run: r.dryRun,
    message: `${r.script}`,
  });
  const execute = async (res: ServerResponse, body: Record<string, unknown>, key: string | undefined) => {
    const problem = bodyProblem(body);
    if (problem) return send(res, 400, { message: problem });
    const script = String(body.script_id);
    if (!behaviours[script]) return send(res, 404, { message: `script ${script} not found` });
    if (behaviours[script] === "slow" && body.dry_run !== true)
      await new Promise((r) => setTimeout(r, 5_000));
    const seen = key ? byKey.get(key) : undefined;
    if (seen) return send(res, 200, answer(seen));
    const run: Run = { id: `exec-${runs.size + 1}`, script, dryRun: body.dry_run === true, reads: 0 };
    runs.set(run.id, run);
    if (key) byKey.set(key, run);
    return send(res, 202, answer(run));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const path = (req.url ?? "").split("?")[0]!;
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        return send(res, 400, { message: "body is not JSON" });
      }
      const key = req.headers["idempotency-key"] as string | undefined;
      calls.push({
        method: req.method ?? "",
        path,
        auth: req.headers.authorization,
        idempotencyKey: key,
        body,
      });
      if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: "unauthorized" });
      if (req.method === "POST" && path === "/api/automation/execute") return execute(res, body ?? {}, key);
      const m = /^\/api\/automation\/executions\/([^/]+)$/.exec(path);
      if (req.method === "GET" && m) {
        const run = runs.get(decodeURIComponent(m[1]!));
        if (!run) return send(res, 404, { message: "execution not found" });
        run.reads++;
        return send(res, 200, answer(run));
      }
      return send(res, 404, { message: "not found" });
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    started: () => [...runs.values()].filter((r) => !r.dryRun).map((r) => r.script),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
