/**
 * Connection failures as the usual runtimes and clients log them, and the host:port each
 * names: Go (net/http, database/sql, pgx, go-redis, grpc-go), Java (JDBC, PSQLException,
 * Hikari, Connector/J, Netty, Spring, Lettuce, the Kafka client), Node.js (ECONNREFUSED,
 * ENOTFOUND, ETIMEDOUT, ioredis, kafkajs), Python (psycopg2, pymysql, redis-py, requests,
 * aiohttp, librdkafka). Pure: no I/O.
 */
import type { Endpoint } from "./endpoint.ts";
import { DEFAULT_PORTS, dedupe, endpointsIn } from "./endpoint.ts";

/** How the connection failed. `lookup` is a name the DNS server denied (not a DNS outage). */
export type FailureKind = "refused" | "timeout" | "lookup" | "unreachable" | "reset" | "unavailable";

/** One connection failure read from a log line. */
export interface ConnectFailure {
  kind: FailureKind;
  endpoints: Endpoint[];
  /** The client family when the wording names one without a host (Connector/J, NoBrokersAvailable). */
  client?: string;
}

const KINDS: [FailureKind, RegExp][] = [
  [
    "lookup",
    /(ENOTFOUND|no such host|Name or service not known|nodename nor servname|UnknownHostException|could not translate host name|Name does not resolve|bad address|Could not resolve host|Failed to resolve|getaddrinfo failed|No address associated with hostname)/i,
  ],
  ["refused", /(refused|ECONNREFUSED|Errno 111|error 111)/i],
  ["unreachable", /(EHOSTUNREACH|no route to host|Network is unreachable|ENETUNREACH)/i],
  ["timeout", /(timed out|timeout|ETIMEDOUT|deadline exceeded)/i],
  ["reset", /(ECONNRESET|connection reset|broken pipe|EOF occurred)/i],
  [
    "unavailable",
    /(Communications link failure|Can't connect to|Cannot connect to|could not connect|Unable to connect|failed to connect|Connection error|could not be established|Broker may not be available|NoBrokersAvailable|code = Unavailable|UNAVAILABLE|Connection is not available|connection attempt failed|Max retries exceeded|connect failed)/i,
  ],
];

/** Lookups the DNS server did not answer: cluster DNS's business (analyzers/dns.ts), not the dependency's. */
const DNS_NO_ANSWER =
  /(EAI_AGAIN|Temporary failure in name resolution|server misbehaving|lookup \S+ on \S+:53: (?:read|dial)|:53: i\/o timeout)/i;

// Hosts named by keyed wordings, which say which endpoint failed better than any token.
const KEYED: { re: RegExp; scheme?: string }[] = [
  { re: /host='([^']+)', port=(\d+)/ },
  { re: /host[= ]"([^"]+)"[^\n]*?port (\d+)/, scheme: "postgres" },
  { re: /server at "([^"]+)"[^,]*, port (\d+)/, scheme: "postgres" },
  { re: /[`\s(]host=([\w.-]+)/, scheme: "postgres" },
  { re: /MySQL server on '([^']+)'(?::(\d+))?/, scheme: "mysql" },
  { re: /(?:lookup|ENOTFOUND|EAI_NONAME) ([\w.-]+?)(?:[ :]|$)/ },
  { re: /UnknownHostException: ([\w.-]+)/ },
  { re: /could not translate host name "([^"]+)"/ },
  { re: /Could not resolve host: ([\w.-]+)/ },
  // busybox nc / wget in init containers waiting for a dependency.
  { re: /bad address '([^']+)'/ },
  // Netty, the JDK and the Kafka client: name/IP:port.
  { re: /([a-z][\w.-]*)\/(?:\d{1,3}\.){3}\d{1,3}:(\d{2,5})/i },
];

const CLIENTS: [string, RegExp][] = [
  ["mysql", /(CommunicationsException|Communications link failure|MySQL)/],
  ["kafka", /(NoBrokersAvailable|kafka|Broker may not be available)/i],
  ["postgres", /(PSQLException|postgres|psycopg|pgx|HikariPool)/i],
  ["redis", /(redis|lettuce)/i],
  ["amqp", /(amqp|rabbit|pika)/i],
  ["mongodb", /(mongo)/i],
];

function keyed(line: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const { re, scheme } of KEYED) {
    const m = re.exec(line);
    if (!m?.[1]) continue;
    const port = m[2] ? Number(m[2]) : scheme ? DEFAULT_PORTS[scheme] : undefined;
    out.push({ host: m[1].replace(/\.$/, "").toLowerCase(), ...(port ? { port } : {}) });
  }
  return out;
}

/** The failure a line reports, or undefined when it reports none (or a DNS outage). */
export function parseFailure(line: string): ConnectFailure | undefined {
  const kind = KINDS.find(([, re]) => re.test(line))?.[0];
  if (!kind || DNS_NO_ANSWER.test(line)) return undefined;
  const endpoints = dedupe([...keyed(line), ...endpointsIn(line)]).filter((e) => e.port !== 53);
  const client = CLIENTS.find(([, re]) => re.test(line))?.[0];
  if (endpoints.length === 0 && !client) return undefined;
  return { kind, endpoints, ...(client ? { client } : {}) };
}

const FRAME = /^(at |\.\.\. \d+ more|File "|Traceback|goroutine |\^|Node\.js v|[{}[\]]$)/;
const ERRORISH =
  /(\w*(Error|Exception)\b|panic:|fatal|FATAL|ERROR|error|refused|failed|Failed|cannot|Cannot|unable|Unable|timed out|timeout|Can't)/;
/** Lines read from the end of a log: the failure must be what the run ended (or is stuck) on. */
const TAIL = 40;
/** Error lines after the failure that may still belong to it (wrappers, "exiting", shutdown). */
const AFTER = 3;

/** The last lines of a log, stack frames dropped and psycopg2's indented continuations joined. */
export function tailLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/).slice(-TAIL * 3)) {
    const line = raw.trim();
    if (!line || FRAME.test(line)) continue;
    if (/^\s/.test(raw) && /^(Is the server|TCP\/IP|connection to server)/.test(line) && out.length)
      out[out.length - 1] += ` ${line}`;
    else out.push(line.slice(0, 2000));
  }
  return out.slice(-TAIL);
}

const WAITING =
  /\bwaiting (?:\d+ seconds )?for (?:service |database |db |the )?([a-z][\w-]*(?:\.[\w-]+)*)(?::(\d{2,5}))?/i;

/**
 * An init container's "waiting for orders-db" (until-nc loops, wait-for-it.sh): the dependency
 * it is stuck on, as an unavailable call. Only for init containers that have not finished.
 */
export function parseWaiting(line: string): ConnectFailure | undefined {
  const m = WAITING.exec(line);
  if (!m) return undefined;
  return {
    kind: "unavailable",
    endpoints: [{ host: m[1]!.toLowerCase(), ...(m[2] ? { port: Number(m[2]) } : {}) }],
  };
}

/** The newest "waiting for" line of an init container's log, if it is stuck on one. */
export function waitingFailure(text: string | undefined): FailureLine[] {
  const last = text ? tailLines(text).at(-1) : undefined;
  const failure = last ? (parseFailure(last) ?? parseWaiting(last)) : undefined;
  return failure && last ? [{ failure, line: last }] : [];
}

/** A failure and the line it was read from. */
export interface FailureLine {
  failure: ConnectFailure;
  line: string;
}

/**
 * The connection failures a log ends on, newest first: the newest one counts only when no
 * more than a few error lines of another kind follow it (a run that died of something else
 * and once logged a refused connection is not a dependency failure).
 */
export function endingFailures(text: string | undefined): FailureLine[] {
  if (!text) return [];
  const lines = tailLines(text);
  const out: FailureLine[] = [];
  let otherErrors = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const failure = parseFailure(line);
    if (failure) out.push({ failure, line });
    else if (ERRORISH.test(line) && out.length === 0 && ++otherErrors > AFTER) break;
  }
  return out;
}
