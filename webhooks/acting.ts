/**
 * Requests the sidecar makes as someone else, so the API server (RBAC and the
 * aisre-remediationplan-approval ValidatingAdmissionPolicy) decides about the real person:
 * a REST caller's own bearer token, or a WeCom user's mapped Kubernetes identity through
 * impersonation (Impersonate-User / Impersonate-Group, which RBAC limits to the mapped names).
 */
import { request as httpRequest } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { RequestOptions as HttpsOptions } from "node:https";
import { ApiException, KubeConfig } from "@kubernetes/client-node";

/** Who a request is made as. */
export type Acting = { token: string } | { impersonate: { user: string; groups?: readonly string[] } };

/** One request made as someone else. */
export interface ActingRequest {
  method: "GET" | "PATCH" | "POST";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

/** Sends requests as someone else; throws ApiException (code = HTTP status) on a non-2xx answer. */
export type ActingClient = <T>(as: Acting, req: ActingRequest) => Promise<T>;

/** The cluster of kc with no user: TLS trust only; credentials come from `as`. */
function clusterOnly(kc: KubeConfig): KubeConfig {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "nobody" }],
    contexts: [{ name: "acting", cluster: cluster.name, user: "nobody" }],
    currentContext: "acting",
  });
  return out;
}

/** Credentials and headers of one acting request, on top of the TLS options. */
async function authorize(kc: KubeConfig, trust: KubeConfig, as: Acting, opts: HttpsOptions): Promise<void> {
  if ("token" in as) {
    await trust.applyToHTTPSOptions(opts);
    opts.headers = { ...(opts.headers as OutgoingHttpHeaders), authorization: `Bearer ${as.token}` };
    return;
  }
  await kc.applyToHTTPSOptions(opts);
  const groups = [...(as.impersonate.groups ?? [])];
  opts.headers = {
    ...(opts.headers as OutgoingHttpHeaders),
    "impersonate-user": as.impersonate.user,
    ...(groups.length > 0 ? { "impersonate-group": groups } : {}),
  };
}

/** Sends one request; resolves with the status and body text whatever the status. */
function send(
  plain: boolean,
  opts: HttpsOptions,
  payload: string | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = (plain ? httpRequest : httpsRequest)(opts, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    r.on("error", reject);
    r.setTimeout(30_000, () => r.destroy(new Error("request to the Kubernetes API timed out")));
    r.end(payload);
  });
}

/** The JSON body, or undefined for none or not JSON. */
function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An ActingClient on kc's cluster. A token request carries only that token (never the sidecar's
 * client certificate, which the API server would prefer); an impersonating request carries the
 * sidecar's own credentials plus the Impersonate-* headers, one header line per group.
 */
export function actingClient(kc: KubeConfig): ActingClient {
  const trust = clusterOnly(kc);
  return async <T>(as: Acting, req: ActingRequest): Promise<T> => {
    const server = new URL(kc.getCurrentCluster()!.server);
    const query = new URLSearchParams(req.query ?? {}).toString();
    const opts: HttpsOptions = {
      method: req.method,
      hostname: server.hostname,
      port: server.port || undefined,
      path: `${server.pathname.replace(/\/$/, "")}${req.path}${query ? `?${query}` : ""}`,
      headers: {},
    };
    await authorize(kc, trust, as, opts);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    opts.headers = {
      ...(opts.headers as OutgoingHttpHeaders),
      accept: "application/json",
      ...(payload === undefined
        ? {}
        : {
            "content-type": req.contentType ?? "application/json",
            "content-length": Buffer.byteLength(payload),
          }),
    };
    const { status, text } = await send(server.protocol === "http:", opts, payload);
    const data = parseBody(text);
    if (status >= 200 && status <= 299) return data as T;
    const message = (data as { message?: string } | undefined)?.message ?? text;
    throw new ApiException(status, message, data ?? text, {});
  };
}
