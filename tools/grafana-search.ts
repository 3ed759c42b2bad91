/**
 * Finds the Grafana dashboards and panels about a workload and returns their links, through
 * Grafana's search and dashboard APIs as documented: GET /api/search?query=&type=dash-db and
 * GET /api/dashboards/uid/:uid. A panel is about the workload when its title or one of its
 * queries names the workload; the dashboard link carries var-namespace for the namespace.
 */

/** Where Grafana is and the service-account token (Viewer suffices). */
export interface GrafanaSearchOptions {
  url: string;
  token: string;
  timeoutMs?: number;
  /** Dashboards read at most (each is one request). Default 5. */
  maxDashboards?: number;
}

/** A workload: its name, and namespace and kind when known. */
export interface Workload {
  name: string;
  namespace?: string;
  kind?: string;
}

/** A panel about the workload, with its link (viewPanel). */
export interface PanelLink {
  id: number;
  title: string;
  url: string;
}

/** A dashboard about the workload, with its link and its matching panels. */
export interface DashboardLink {
  uid: string;
  title: string;
  url: string;
  panels: PanelLink[];
}

interface SearchHit {
  uid?: string;
  title?: string;
  url?: string;
  type?: string;
}

interface RawPanel {
  id?: number;
  title?: string;
  targets?: { expr?: string; rawSql?: string; query?: string }[];
  panels?: RawPanel[];
}

/** One GET with the Bearer token; throws naming the path and status, never the token. */
async function get(opts: GrafanaSearchOptions, path: string): Promise<unknown> {
  const res = await fetch(`${opts.url.replace(/\/+$/, "")}${path}`, {
    headers: { accept: "application/json", authorization: `Bearer ${opts.token}` },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
  });
  if (!res.ok) throw new Error(`Grafana GET ${path.split("?")[0]} answered ${res.status}`);
  return res.json();
}

/** Every panel, rows' nested panels included. */
const flatten = (panels: RawPanel[] = []): RawPanel[] => panels.flatMap((p) => [p, ...flatten(p.panels)]);

/** True when a panel's title or a query names the workload (or its pods, name-<hash>). */
function mentions(panel: RawPanel, name: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9-])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9])`);
  const texts = [panel.title ?? "", ...(panel.targets ?? []).map((t) => t.expr ?? t.rawSql ?? t.query ?? "")];
  return texts.some((t) => word.test(t));
}

/** The dashboards (and their panels) about a workload, most relevant first; empty when none. */
export async function findWorkloadDashboards(
  opts: GrafanaSearchOptions,
  workload: Workload,
): Promise<DashboardLink[]> {
  const base = opts.url.replace(/\/+$/, "");
  const search = async (q: string) =>
    ((await get(opts, `/api/search?query=${encodeURIComponent(q)}&type=dash-db`)) as SearchHit[]).filter(
      (h) => h.uid && h.type === "dash-db",
    );
  // Dashboards named after the workload first, then those of its namespace.
  const hits = [
    ...(await search(workload.name)),
    ...(workload.namespace ? await search(workload.namespace) : []),
  ];
  const unique = [...new Map(hits.map((h) => [h.uid!, h])).values()].slice(0, opts.maxDashboards ?? 5);
  const vars = workload.namespace ? `?var-namespace=${encodeURIComponent(workload.namespace)}` : "";
  const out: DashboardLink[] = [];
  for (const hit of unique) {
    const body = (await get(opts, `/api/dashboards/uid/${encodeURIComponent(hit.uid!)}`)) as {
      dashboard?: { panels?: RawPanel[] };
      meta?: { url?: string };
    };
    const path = body.meta?.url ?? hit.url ?? `/d/${hit.uid}`;
    const panels = flatten(body.dashboard?.panels)
      .filter((p) => typeof p.id === "number" && mentions(p, workload.name))
      .map((p) => ({
        id: p.id!,
        title: p.title ?? "",
        url: `${base}${path}${vars ? `${vars}&` : "?"}viewPanel=${p.id}`,
      }));
    const named = mentions({ title: hit.title ?? "" }, workload.name);
    if (panels.length > 0 || named)
      out.push({ uid: hit.uid!, title: hit.title ?? "", url: `${base}${path}${vars}`, panels });
  }
  return out.sort((a, b) => b.panels.length - a.panels.length);
}
