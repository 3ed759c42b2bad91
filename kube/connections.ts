// client-node 2.0 builds a new undici Agent (its own connection pool) for every request it
// authenticates (KubeConfig.createDispatcher, called from applySecurityAuthentication), so no
// connection is ever reused: each request pays a TCP and TLS handshake, and the abandoned
// pools keep their idle sockets (and their buffers) until the server closes them. client-go
// keeps one transport per TLS identity; shareConnections does the same for a KubeConfig.
import { createHash } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";

/** The part of an undici Dispatcher this file uses. */
interface Dispatcher {
  close?(): Promise<void>;
}

type MakeDispatcher = (cluster: unknown, agentOptions: Record<string, unknown>) => Dispatcher | undefined;

interface Patchable {
  createDispatcher: MakeDispatcher;
  [SHARED]?: true;
}

const SHARED = Symbol.for("aisre.sharedConnections");

// What a connection's identity is made of: the server (and proxy) and every TLS input.
const TLS_FIELDS = ["ca", "cert", "key", "pfx", "passphrase", "rejectUnauthorized", "servername"];

/** A digest of where and as whom a dispatcher connects (certificates are hashed, never kept). */
export function connectionKey(cluster: unknown, agentOptions: Record<string, unknown>): string {
  const c = (cluster ?? {}) as { server?: string; proxyUrl?: string; skipTLSVerify?: boolean };
  const h = createHash("sha256");
  h.update(`${c.server ?? ""}\0${c.proxyUrl ?? ""}\0${c.skipTLSVerify ? 1 : 0}`);
  for (const f of TLS_FIELDS) {
    const v = agentOptions[f];
    h.update(`\0${f}=`);
    if (v === undefined) continue;
    h.update(Buffer.isBuffer(v) || typeof v === "string" ? v : JSON.stringify(v));
  }
  return h.digest("hex");
}

/**
 * Makes every request through kc (and every API client made from it) share one connection
 * pool per server and TLS identity. When the identity changes (a rotated client certificate),
 * the next request gets a new pool and the old one is closed once its requests finish.
 * Idempotent; returns kc.
 */
export function shareConnections(kc: KubeConfig): KubeConfig {
  const target = kc as unknown as Patchable;
  if (target[SHARED]) return kc;
  const make = target.createDispatcher.bind(kc);
  const byServer = new Map<string, { key: string; dispatcher: Dispatcher | undefined }>();
  target.createDispatcher = (cluster, agentOptions) => {
    const server = (cluster as { server?: string } | null)?.server ?? "";
    const key = connectionKey(cluster, agentOptions);
    const held = byServer.get(server);
    if (held?.key === key) return held.dispatcher;
    const dispatcher = make(cluster, agentOptions);
    byServer.set(server, { key, dispatcher });
    void held?.dispatcher?.close?.().catch(() => undefined);
    return dispatcher;
  };
  target[SHARED] = true;
  return kc;
}
