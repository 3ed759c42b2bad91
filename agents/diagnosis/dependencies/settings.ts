/**
 * Endpoints named by configuration: environment variables (`*_HOST` + `*_PORT`, `*_URL`,
 * `*_ADDR`, `DATABASE_URL`, JDBC strings, redis://, amqp://, broker lists) and configuration
 * files (properties, YAML, .env). Also the lean form the live caches keep instead of a value:
 * only the endpoints, credentials stripped, from which the same endpoints are read again.
 */
import type { Endpoint } from "./endpoint.ts";
import { dedupe, endpointOf, endpointsIn } from "./endpoint.ts";

/** A setting's name names a host (DB_HOST, REDIS_ADDR, KAFKA_BOOTSTRAP_SERVERS...). */
const HOSTISH =
  /(?:^|[_.-])(HOST|HOSTNAME|HOSTS|SERVER|SERVERS|ADDR|ADDRESS|ENDPOINT|BROKERS?|BOOTSTRAP_SERVERS)$/i;
const PORTISH = /(?:^|[_.-])PORT$/i;
const BARE_HOST = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.?$/i;

function norm(name: string): string {
  return name.replace(/[.-]/g, "_").toUpperCase();
}

/** The endpoints one setting names by itself (a URL, a list, or a bare host under a host-ish name). */
export function settingEndpoints(name: string, value: string): Endpoint[] {
  const v = value.trim();
  if (!v || v.length > 4000) return [];
  const found = endpointsIn(v);
  if (found.length === 0 && HOSTISH.test(name) && BARE_HOST.test(v)) {
    const e = endpointOf(v);
    if (e && !/^(true|false|null|none|localhost)$/i.test(v)) found.push(e);
  }
  return found;
}

/** Every endpoint of a list of settings, `X_HOST` paired with `X_PORT` (and `x.host` with `x.port`). */
export function settingsEndpoints(settings: [string, string][]): Endpoint[] {
  const ports = new Map<string, string>();
  for (const [name, value] of settings)
    if (PORTISH.test(name) && /^\d{1,5}$/.test(value.trim()))
      ports.set(norm(name).replace(/_?PORT$/, ""), value);
  const out: Endpoint[] = [];
  for (const [name, value] of settings) {
    for (const e of settingEndpoints(name, value)) {
      const port = e.port ?? ports.get(norm(name).replace(HOSTISH, ""));
      out.push(port && !e.port ? { ...e, port: Number(port) } : e);
    }
  }
  return dedupe(out);
}

const KEY_VALUE = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[:=]\s*["']?([^"'\s#,]+)["']?\s*(?:#.*)?$/;

/** The endpoints a configuration file names: URLs and host:port anywhere, `host`/`port` keys paired. */
export function fileEndpoints(content: string): Endpoint[] {
  const pairs: [string, string][] = [];
  for (const line of content.split(/\r?\n/).slice(0, 2000)) {
    const m = KEY_VALUE.exec(line);
    if (m) pairs.push([m[1]!, m[2]!]);
  }
  return dedupe([...endpointsIn(content.slice(0, 200_000)), ...settingsEndpoints(pairs)]);
}

function canonical(e: Endpoint): string {
  if (!e.scheme) return e.port ? `${e.host}:${e.port}` : e.host;
  return `${e.scheme}://${e.host}${e.port ? `:${e.port}` : ""}`;
}

/**
 * What the live cache keeps of an environment variable's literal value: the port of a
 * `*_PORT`, the host of a `*_HOST`, else the endpoints it names (no userinfo, path or query);
 * undefined when it names none. settingEndpoints reads the same endpoints from it.
 */
export function leanSetting(name: string, value: string): string | undefined {
  const v = value.trim();
  if (PORTISH.test(name) && /^\d{1,5}$/.test(v)) return v;
  const eps = settingEndpoints(name, v);
  if (eps.length === 0) return undefined;
  if (eps.length === 1 && !eps[0]!.port && !eps[0]!.scheme && HOSTISH.test(name)) return eps[0]!.host;
  return eps.map(canonical).join(" ");
}

/**
 * What the live cache keeps of one ConfigMap value: the lean setting for a one-line value
 * (envFrom and configMapKeyRef read it as a variable), else one endpoint per line.
 */
export function leanData(key: string, value: string): string {
  if (!value.includes("\n")) return leanSetting(key, value) ?? "";
  return fileEndpoints(value)
    .map((e) => (e.scheme ? canonical(e) : `${canonical(e)}${e.port ? "" : ":"}`))
    .filter((s) => !s.endsWith(":"))
    .join("\n");
}
