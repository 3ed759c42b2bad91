/**
 * Endpoints: the host (and port) a workload calls, read from URLs, JDBC strings, broker lists
 * and host:port tokens. Credentials never survive: userinfo, paths and queries are dropped
 * the moment a string is parsed. Pure: no I/O.
 */

/** One host a workload calls; `loose` when read from a bare host:port token, not a URL or a key. */
export interface Endpoint {
  host: string;
  port?: number;
  scheme?: string;
  loose?: boolean;
}

/** The port a scheme implies when the URL leaves it out. */
export const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  rediss: 6379,
  amqp: 5672,
  amqps: 5671,
  mongodb: 27017,
  kafka: 9092,
  nats: 4222,
  memcached: 11211,
  sqlserver: 1433,
  oracle: 1521,
};

/** Ports of the usual servers: a bare `name:port` in a failure line counts only with one of these. */
export const KNOWN_PORTS = new Set([
  80, 443, 1433, 1521, 2181, 3000, 3306, 4222, 5000, 5432, 5671, 5672, 6379, 7000, 8000, 8080, 8081, 8443,
  9000, 9042, 9090, 9092, 9093, 9200, 11211, 26257, 27017, 50051,
]);

const HOST = String.raw`\[[0-9a-fA-F:]+\]|[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?`;
// scheme://[userinfo@]host[:port][,host[:port]...]  (JDBC and MongoDB name several hosts).
const URL_RE = new RegExp(
  String.raw`\b([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^\s\/@'"<>]*@)?((?:(?:${HOST})(?::\d{1,5})?)(?:,(?:${HOST})(?::\d{1,5})?)*)`,
  "g",
);
// grpc's dns:///host:port and Oracle's jdbc:oracle:thin:@//host:port or @host:port:SID.
const DNS_RE = new RegExp(String.raw`\bdns:\/\/[^\/\s]*\/(${HOST})(?::(\d{1,5}))?`, "g");
const ORACLE_RE = new RegExp(String.raw`jdbc:oracle:[a-z]+:@(?:\/\/)?(${HOST}):(\d{1,5})`, "g");
const HOST_PORT_RE = new RegExp(String.raw`(?<![\w.:\/@-])(${HOST}):(\d{2,5})\b(?!->|\.\d|:\d)`, "g");
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** True for a dotted IPv4 address. */
export function isIp(host: string): boolean {
  return IPV4.test(host);
}

/** True for the pod itself: loopback and the wildcard address. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h.startsWith("127.") || h === "[::1]" || h === "0.0.0.0" || h === "::1";
}

/** host[:port] as people write it. */
export function showEndpoint(e: Endpoint): string {
  return e.port ? `${e.host}:${e.port}` : e.host;
}

function clean(host: string): string {
  return host.replace(/\.$/, "").toLowerCase();
}

function hostPort(text: string, scheme?: string): Endpoint | undefined {
  const m = new RegExp(String.raw`^(${HOST})(?::(\d{1,5}))?$`).exec(text);
  if (!m) return undefined;
  const port = m[2] ? Number(m[2]) : scheme ? DEFAULT_PORTS[scheme] : undefined;
  return { host: clean(m[1]!), ...(port ? { port } : {}), ...(scheme ? { scheme } : {}) };
}

function fromUrls(text: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const scheme = m[1]!.toLowerCase();
    if (scheme === "dns" || scheme === "file") continue;
    for (const part of m[2]!.split(",")) {
      const e = hostPort(part, scheme);
      if (e) out.push(e);
    }
  }
  for (const m of text.matchAll(DNS_RE))
    out.push({ host: clean(m[1]!), ...(m[2] ? { port: Number(m[2]) } : {}), scheme: "grpc" });
  for (const m of text.matchAll(ORACLE_RE))
    out.push({ host: clean(m[1]!), port: Number(m[2]), scheme: "oracle" });
  return out;
}

/** Bare host:port tokens (not inside a URL, not a local "a:1->b:2" address, not a time). */
export function looseHostPorts(text: string): Endpoint[] {
  const out: Endpoint[] = [];
  const stripped = text.replace(URL_RE, " ").replace(DNS_RE, " ");
  for (const m of stripped.matchAll(HOST_PORT_RE)) {
    const host = clean(m[1]!);
    const port = Number(m[2]);
    if (port > 65535 || (!isIp(host) && !/^[a-z]/.test(host))) continue;
    out.push({ host, port, loose: true });
  }
  return out;
}

/** Every endpoint a string names: URLs and JDBC strings first, then bare host:port tokens. */
export function endpointsIn(text: string, opts: { loose?: boolean } = {}): Endpoint[] {
  const out = fromUrls(text);
  if (opts.loose !== false) out.push(...looseHostPorts(text));
  return dedupe(out);
}

/** Endpoints without repeats (same host and port), the first occurrence kept. */
export function dedupe(list: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = showEndpoint(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A host and optional port from the separate values of `X_HOST` and `X_PORT`. */
export function endpointOf(host: string, port?: string | number): Endpoint | undefined {
  const h = host.trim();
  if (!new RegExp(String.raw`^(${HOST})$`).test(h)) return undefined;
  const p = port === undefined ? undefined : Number(String(port).trim());
  return { host: clean(h), ...(p && Number.isInteger(p) && p > 0 && p < 65536 ? { port: p } : {}) };
}
