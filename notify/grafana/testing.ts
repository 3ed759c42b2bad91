/**
 * A loopback stand-in of the Grafana HTTP API parts the operator uses, shaped as Grafana
 * documents them: POST /api/annotations (Bearer token; text a non-empty string, time and
 * timeEnd integers in epoch ms, tags strings, dashboardUID a string; answers
 * {"message":"Annotation added","id":N}), GET /api/annotations, GET /api/search and
 * GET /api/dashboards/uid/:uid. `down` makes it answer 503 like a Grafana behind a proxy whose
 * backend is gone.
 */
import { createServer } from "node:http";
import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A dashboard the stand-in serves: uid, title, tags, folder and its panels. */
export interface StandInDashboard {
  uid: string;
  title: string;
  tags?: string[];
  panels: { id: number; title: string; expr?: string }[];
}

/** A running stand-in. */
export interface GrafanaStandIn {
  url: string;
  /** Annotations stored, as Grafana keeps them. */
  annotations: Record<string, unknown>[];
  /** Every POST /api/annotations received (accepted or not). */
  posts: { auth: string | undefined; body: unknown; status: number }[];
  down: boolean;
  /** Requests answered 503 while down. */
  refused: number;
  close: () => Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** The documented field rules of POST /api/annotations; the first problem, or undefined. */
function annotationProblem(b: Record<string, unknown>): string | undefined {
  if (typeof b.text !== "string" || b.text === "") return "text field should not be empty";
  if (b.time !== undefined && !isInt(b.time)) return "time must be epoch milliseconds";
  if (b.timeEnd !== undefined && (!isInt(b.timeEnd) || (b.timeEnd as number) < ((b.time as number) ?? 0)))
    return "timeEnd must be epoch milliseconds not before time";
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== "string")))
    return "tags must be strings";
  if (b.dashboardUID !== undefined && typeof b.dashboardUID !== "string")
    return "dashboardUID must be a string";
  return undefined;
}

const slugOf = (title: string) => title.toLowerCase().replace(/\W+/g, "-");

/** POST /api/annotations: the documented checks, then {"message":"Annotation added","id":N}. */
function addAnnotation(
  state: GrafanaStandIn,
  res: ServerResponse,
  auth: string | undefined,
  ok: boolean,
  text: string,
) {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  const problem = ok ? annotationProblem(body) : "Unauthorized";
  const status = !ok ? 401 : problem ? 400 : 200;
  state.posts.push({ auth, body, status });
  if (status !== 200) return json(res, status, { message: problem });
  const id = state.annotations.length + 1;
  state.annotations.push({ id, ...body });
  return json(res, 200, { message: "Annotation added", id });
}

/** GET /api/search?query=&type=dash-db: the dashboard hits as Grafana lists them. */
function search(dashboards: StandInDashboard[], res: ServerResponse, url: URL) {
  const q = (url.searchParams.get("query") ?? "").toLowerCase();
  const type = url.searchParams.get("type");
  const hits = type && type !== "dash-db" ? [] : dashboards.filter((d) => d.title.toLowerCase().includes(q));
  const body = hits.map((d, i) => ({
    id: i + 1,
    uid: d.uid,
    title: d.title,
    uri: `db/${slugOf(d.title)}`,
    url: `/d/${d.uid}/${slugOf(d.title)}`,
    type: "dash-db",
    tags: d.tags ?? [],
    isStarred: false,
  }));
  return json(res, 200, body);
}

/** GET /api/dashboards/uid/:uid: {dashboard, meta} with panels and their targets. */
function dashboard(dashboards: StandInDashboard[], res: ServerResponse, uid: string) {
  const d = dashboards.find((x) => x.uid === uid);
  if (!d) return json(res, 404, { message: "Dashboard not found" });
  const panels = d.panels.map((p) => ({
    id: p.id,
    title: p.title,
    targets: p.expr ? [{ expr: p.expr }] : [],
  }));
  return json(res, 200, {
    dashboard: { uid: d.uid, title: d.title, tags: d.tags ?? [], panels },
    meta: { slug: slugOf(d.title), url: `/d/${d.uid}/${slugOf(d.title)}`, type: "db" },
  });
}

/** Starts the stand-in on a loopback port. */
export async function startGrafana(
  token: string,
  dashboards: StandInDashboard[] = [],
): Promise<GrafanaStandIn> {
  const state: GrafanaStandIn = {
    url: "",
    annotations: [],
    posts: [],
    down: false,
    refused: 0,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://grafana");
      if (state.down) {
        state.refused++;
        return json(res, 503, { message: "Service Unavailable" });
      }
      const auth = req.headers.authorization;
      const ok = auth === `Bearer ${token}`;
      if (req.method === "POST" && url.pathname === "/api/annotations")
        return addAnnotation(state, res, auth, ok, text);
      if (!ok) return json(res, 401, { message: "Unauthorized" });
      if (req.method !== "GET") return json(res, 404, { message: "Not found" });
      if (url.pathname === "/api/annotations") {
        const tags = url.searchParams.getAll("tags");
        return json(
          res,
          200,
          state.annotations.filter((a) => tags.every((t) => (a.tags as string[]).includes(t))),
        );
      }
      if (url.pathname === "/api/search") return search(dashboards, res, url);
      const m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
      if (m) return dashboard(dashboards, res, decodeURIComponent(m[1]!));
      return json(res, 404, { message: "Not found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
