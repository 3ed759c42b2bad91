/**
 * `aisre mcp`: the MCP server over stdio for one local client, acting as the kubeconfig's
 * identity. stdout is the protocol, so logs go to stderr; the store is opened only when
 * DATABASE_URL or AISRE_DATA_DIR says where it is.
 */
import { AuthenticationV1Api, KubeConfig } from "@kubernetes/client-node";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createLogger } from "../../logging/logger.ts";
import type { Database } from "../../store/index.ts";
import { openStore, storeOptionsFromEnv } from "../../store/index.ts";
import { kubeconfigCaller } from "./context.ts";
import { createMcpServer } from "./server.ts";
import { grafanaFromEnv } from "./tools-grafana.ts";

/** Options of `aisre mcp`. */
export interface StdioOptions {
  version: string;
  prometheus?: string;
  maxOutputChars?: number;
}

/** The kubeconfig user's real username (SelfSubjectReview), else the kubeconfig's user entry. */
async function whoAmI(kc: KubeConfig): Promise<string | undefined> {
  try {
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });
    return review.status?.userInfo?.username;
  } catch {
    return undefined;
  }
}

/** Serves until the client closes stdin; resolves with the exit code. */
export async function serveStdio(opts: StdioOptions): Promise<number> {
  const logger = createLogger("aisre-mcp");
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (err) {
    console.error(`aisre mcp: cannot load the kubeconfig: ${(err as Error).message}`);
    return 1;
  }
  let store: Database | undefined;
  if (process.env.DATABASE_URL || process.env.AISRE_DATA_DIR) store = await openStore(storeOptionsFromEnv());
  const caller = kubeconfigCaller(kc, {
    store,
    prometheusUrl: opts.prometheus,
    grafana: grafanaFromEnv(),
    logger,
  });
  caller.username = (await whoAmI(kc)) ?? caller.username;
  const server = createMcpServer(caller, { version: opts.version, maxOutputChars: opts.maxOutputChars });
  // The client ends the session by closing our stdin; the transport does not notice that.
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  await server.connect(new StdioServerTransport());
  logger.info({ user: caller.username, store: Boolean(store) }, "Served MCP over stdio");
  await closed;
  await store?.close();
  return 0;
}
