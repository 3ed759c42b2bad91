/**
 * Sidecar configuration from flags and environment variables (flags win), validated with
 * errors that name the variable. Secrets come from the environment only: flags show up in `ps`.
 * The AISRE_WECOM_* variables are read and checked by the WeCom plugin (webhooks/wecom/callback-env.ts,
 * notify/wecom/config.ts).
 */
import { readFileSync } from "node:fs";
import { DEFAULT_UNAUTHENTICATED_PER_MINUTE } from "./auth/rate-limit.ts";

/** Everything the sidecar is configured with. */
export interface SidecarConfig {
  port: number;
  host: string;
  /** Where alert tasks go when the alert names no allowed namespace; also the default for new tasks. */
  namespace: string;
  /** --kubeconfig; otherwise KUBECONFIG, else the in-cluster service account. */
  kubeconfig?: string;
  /** Bearer token Alertmanager must present on POST /alerts/alertmanager. */
  webhookToken: string;
  /** PostgreSQL incident store; incidents endpoints answer 503 without it. */
  databaseUrl?: string;
  /** Largest accepted webhook body, bytes. */
  webhookBodyLimit: number;
  /** REST requests per minute per authenticated user. */
  rateLimitPerMinute: number;
  /**
   * REST requests per minute per client address that cost a TokenReview (no cached review of
   * their token); checked before authentication. Default 120.
   */
  rateLimitUnauthenticatedPerMinute?: number;
  /** How long TokenReview and SubjectAccessReview answers are reused. */
  authCacheSeconds: number;
  /** How long AgentConfig namespace decisions are reused. */
  agentConfigCacheSeconds: number;
  /** Alert states remembered to make duplicate deliveries free. */
  alertCacheSize: number;
  /** Audience REST callers' tokens must be minted for (TokenReview); unset: the API server's own. */
  tokenAudience?: string;
  /** Web console session lifetime (AISRE_CONSOLE_SESSION_TTL, seconds, default 8 h). */
  consoleSessionTtlSeconds?: number;
  /** Web console session idle limit (AISRE_CONSOLE_SESSION_IDLE, seconds, default 1 h). */
  consoleSessionIdleSeconds?: number;
}

/** A configuration problem: printed as one line, exit code 2. */
export class ConfigError extends Error {}

/** Environment variables the sidecar reads, for --help and the README. */
export const ENV_HELP: readonly (readonly [string, string])[] = [
  ["KUBECONFIG", "kubeconfig file (default: in-cluster service account)"],
  [
    "AISRE_NAMESPACE",
    "namespace of alert tasks when the alert names no allowed namespace (default: own namespace in-cluster)",
  ],
  ["AISRE_WEBHOOK_TOKEN", "bearer token Alertmanager sends (required, at least 16 characters)"],
  ["DATABASE_URL", "PostgreSQL incident store (optional; /api/v1/incidents answers 503 without it)"],
  ["AISRE_WECOM_TOKEN", "WeCom callback token; with the next two, turns on /wecom/callback"],
  ["AISRE_WECOM_ENCODING_AES_KEY", "WeCom callback EncodingAESKey, 43 characters"],
  ["AISRE_WECOM_CORP_ID", "WeCom corp id"],
  ["AISRE_WECOM_AGENT_ID", "WeCom application agent id (with AISRE_WECOM_SECRET: send notifications)"],
  ["AISRE_WECOM_SECRET", "WeCom application secret"],
  ["PORT", "listen port (default 8080); HOST: listen address (default 0.0.0.0)"],
  ["AISRE_WEBHOOK_BODY_LIMIT", "largest webhook body in bytes (default 4194304)"],
  ["AISRE_RATE_LIMIT", "REST requests per minute per authenticated user (default 600)"],
  [
    "AISRE_RATE_LIMIT_UNAUTHENTICATED",
    "REST requests per minute per client address before authentication, counting those whose token has no cached review (default 120)",
  ],
  ["AISRE_AUTH_CACHE_SECONDS", "TokenReview/SubjectAccessReview cache (default 10)"],
  ["AISRE_AGENTCONFIG_CACHE_SECONDS", "AgentConfig namespace-policy cache (default 30)"],
  ["AISRE_ALERT_CACHE_SIZE", "alert states remembered for deduplication (default 20000)"],
  ["AISRE_TOKEN_AUDIENCE", "audience of REST callers' tokens (default aisre-sidecar)"],
  ["AISRE_CONSOLE_SESSION_TTL", "web console session lifetime in seconds (default 28800, 8 h)"],
  ["AISRE_CONSOLE_SESSION_IDLE", "web console session idle limit in seconds (default 3600)"],
  ["AISRE_TLS_CERT_FILE", "PEM certificate; with AISRE_TLS_KEY_FILE the sidecar serves HTTPS"],
  ["AISRE_TLS_KEY_FILE", "PEM private key of AISRE_TLS_CERT_FILE"],
  ["AISRE_LOG_LEVEL", "pino level (default info)"],
];

/** The sidecar's Service name: the default audience of REST callers' tokens. */
export const DEFAULT_TOKEN_AUDIENCE = "aisre-sidecar";

const IN_CLUSTER_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const FLAGS = new Set(["--port", "--host", "--namespace", "--kubeconfig"]);

/** Parses --flag value / --flag=value pairs; unknown flags are errors. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!FLAGS.has(flag)) throw new ConfigError(`unknown option '${flag}' (try 'aisre sidecar --help')`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`${flag} needs a value`);
    out[flag.slice(2)] = value;
  }
  return out;
}

function int(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === "") return def;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer ${min}..${max}, not '${raw}'`);
  return n;
}

const trimmed = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);

function readInClusterNamespace(): string | undefined {
  try {
    return trimmed(readFileSync(IN_CLUSTER_NAMESPACE, "utf8"));
  } catch {
    return undefined;
  }
}

function namespaceOf(
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv,
  inCluster: () => string | undefined,
): string {
  const ns = flags.namespace ?? trimmed(env.AISRE_NAMESPACE) ?? inCluster();
  if (!ns) throw new ConfigError("AISRE_NAMESPACE (or --namespace) is required outside a cluster");
  if (!DNS_LABEL.test(ns) || ns.length > 63)
    throw new ConfigError(`AISRE_NAMESPACE '${ns}' is not a valid namespace name`);
  return ns;
}

function webhookToken(env: NodeJS.ProcessEnv): string {
  const token = trimmed(env.AISRE_WEBHOOK_TOKEN);
  if (!token) throw new ConfigError("AISRE_WEBHOOK_TOKEN is required (the bearer token Alertmanager sends)");
  if (token.length < 16) throw new ConfigError("AISRE_WEBHOOK_TOKEN must be at least 16 characters");
  return token;
}

/** Builds the configuration from argv and env; throws ConfigError naming the bad setting. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  inCluster: () => string | undefined = readInClusterNamespace,
): SidecarConfig {
  const flags = parseFlags(argv);
  const config: SidecarConfig = {
    port: int(flags.port ? "--port" : "PORT", flags.port ?? env.PORT, 8080, 0, 65535),
    host: flags.host ?? trimmed(env.HOST) ?? "0.0.0.0",
    namespace: namespaceOf(flags, env, inCluster),
    webhookToken: webhookToken(env),
    webhookBodyLimit: int("AISRE_WEBHOOK_BODY_LIMIT", env.AISRE_WEBHOOK_BODY_LIMIT, 4 << 20, 1024, 64 << 20),
    rateLimitPerMinute: int("AISRE_RATE_LIMIT", env.AISRE_RATE_LIMIT, 600, 1, 1_000_000),
    rateLimitUnauthenticatedPerMinute: int(
      "AISRE_RATE_LIMIT_UNAUTHENTICATED",
      env.AISRE_RATE_LIMIT_UNAUTHENTICATED,
      DEFAULT_UNAUTHENTICATED_PER_MINUTE,
      1,
      1_000_000,
    ),
    authCacheSeconds: int("AISRE_AUTH_CACHE_SECONDS", env.AISRE_AUTH_CACHE_SECONDS, 10, 0, 300),
    agentConfigCacheSeconds: int(
      "AISRE_AGENTCONFIG_CACHE_SECONDS",
      env.AISRE_AGENTCONFIG_CACHE_SECONDS,
      30,
      0,
      3600,
    ),
    alertCacheSize: int("AISRE_ALERT_CACHE_SIZE", env.AISRE_ALERT_CACHE_SIZE, 20_000, 0, 10_000_000),
  };
  // KUBECONFIG itself (possibly a list of files) is honoured by client-node's default loading.
  if (flags.kubeconfig) config.kubeconfig = flags.kubeconfig;
  const databaseUrl = trimmed(env.DATABASE_URL);
  if (databaseUrl) config.databaseUrl = databaseUrl;
  config.tokenAudience = trimmed(env.AISRE_TOKEN_AUDIENCE) ?? DEFAULT_TOKEN_AUDIENCE;
  // Console session limits: unset means the console's defaults (8 h, idle 1 h).
  const seconds = (name: string) => int(name, env[name], 0, 60, 1e6);
  if (trimmed(env.AISRE_CONSOLE_SESSION_TTL))
    config.consoleSessionTtlSeconds = seconds("AISRE_CONSOLE_SESSION_TTL");
  if (trimmed(env.AISRE_CONSOLE_SESSION_IDLE))
    config.consoleSessionIdleSeconds = seconds("AISRE_CONSOLE_SESSION_IDLE");
  return config;
}
