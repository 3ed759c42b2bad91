/** What the console's routes share, and the small helpers they all use. */
import type { Logger } from "pino";
import type { Queryable } from "../../store/index.ts";
import { StoreInputError, isTransientStoreError } from "../../store/index.ts";
import type { ActingClient } from "../acting.ts";
import type { Authorizer } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import type { SreGateway } from "../gateway.ts";
import type { SidecarKube } from "../kube.ts";
import type { ConsoleAccess } from "./access.ts";
import type { SessionStore } from "./sessions.ts";

/** The console's dependencies, built once by consolePlugin. */
export interface ConsoleDeps {
  kube: SidecarKube;
  gateway: SreGateway;
  authorizer: Authorizer;
  access: ConsoleAccess;
  sessions: SessionStore;
  /** Requests made with the signed-in user's own token (writes: ask, edits, plan comments). */
  acting: ActingClient;
  store?: Queryable;
  /** The sidecar's namespace, the operator's too: its AgentConfig `default` is the cluster policy. */
  clusterNamespace: string;
  logger: Logger;
  /** The API server's URL, shown on the sign-in page. */
  apiServer: string;
  /** Audience tokens must be minted for (AISRE_TOKEN_AUDIENCE); unset: the API server's own. */
  tokenAudience?: string;
  /** Cookies carry Secure (the sidecar serves TLS). */
  secure: boolean;
  /** Sign-in attempts per minute per client address. */
  signInPerMinute: number;
  /** SSE heartbeat interval. */
  heartbeatMs: number;
}

/** The incident store, or 503 naming the setting. */
export function storeOf(deps: ConsoleDeps): Queryable {
  if (!deps.store) throw new HttpError(503, "no incident store is configured (set DATABASE_URL)");
  return deps.store;
}

/** Maps a store failure to 400 (bad input, field named) or 503 (retry); others rethrown. */
export function storeError(err: unknown): never {
  if (err instanceof HttpError) throw err;
  if (err instanceof StoreInputError) {
    const field = /^(\w+)/.exec(err.message)?.[1];
    throw new HttpError(400, err.message, field);
  }
  if (isTransientStoreError(err)) throw new HttpError(503, "the incident store is unavailable");
  throw err;
}
