/**
 * What a console user may see and do, asked of the API server by SubjectAccessReview as that
 * user (KubeAuthorizer, cached briefly). A namespace is readable when the user may list
 * sretasks there; incidents, tasks and overview figures follow that. The namespaces to ask
 * about are the cluster's (when the sidecar may list them) or else every namespace that holds
 * aisre objects or incidents.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Queryable } from "../../store/index.ts";
import { AGENTCONFIG, REMEDIATIONPLAN, SRETASK } from "../../crds/resources.ts";
import { APPROVE_VERB } from "../../crds/approval.ts";
import type { AccessCheck, Authorizer, UserInfo } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import type { SidecarKube } from "../kube.ts";
import { listPathOf } from "../kube.ts";

/** One namespace as the console shows it. */
export interface NamespaceAccess {
  name: string;
  canRead: true;
  canApprove: boolean;
  canAsk: boolean;
  canEditAgents: boolean;
}

interface List {
  items: KubernetesObject[];
}

/** Access decisions of console users. */
export class ConsoleAccess {
  private readonly kube: SidecarKube;
  private readonly authorizer: Authorizer;
  private readonly store: Queryable | undefined;
  private readonly defaultNamespace: string;
  private readonly cacheMs: number;
  private cached: { at: number; names: Promise<string[]> } | undefined;

  constructor(opts: {
    kube: SidecarKube;
    authorizer: Authorizer;
    store?: Queryable;
    defaultNamespace: string;
    cacheSeconds: number;
  }) {
    this.kube = opts.kube;
    this.authorizer = opts.authorizer;
    this.store = opts.store;
    this.defaultNamespace = opts.defaultNamespace;
    this.cacheMs = Math.max(1, opts.cacheSeconds) * 1000;
  }

  /** Whether the user may; false on 403, other failures (API server down) thrown. */
  async can(user: UserInfo, check: AccessCheck): Promise<boolean> {
    try {
      await this.authorizer.authorize(user, check);
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 403) return false;
      throw err;
    }
  }

  /** Throws 403 with the API server's reason unless the user may. */
  must(user: UserInfo, check: AccessCheck): Promise<void> {
    return this.authorizer.authorize(user, check);
  }

  /** The namespaces worth asking about, sorted (cached a few seconds). */
  namespaces(): Promise<string[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) {
      const names = this.discover();
      this.cached = { at: now, names };
      names.catch(() => (this.cached = undefined));
    }
    return this.cached.names;
  }

  /** The namespaces where the user may list sretasks. */
  async readable(user: UserInfo): Promise<string[]> {
    const all = await this.namespaces();
    if (await this.can(user, { verb: "list", resource: SRETASK.plural })) return all;
    const allowed = await Promise.all(
      all.map((namespace) => this.can(user, { verb: "list", resource: SRETASK.plural, namespace })),
    );
    return all.filter((_, i) => allowed[i]);
  }

  /** Throws 403 unless the user may read the namespace (404 would be no kinder: names are not secret). */
  async mustRead(user: UserInfo, namespace: string): Promise<void> {
    await this.must(user, { verb: "list", resource: SRETASK.plural, namespace });
  }

  /** The readable namespaces with what the user may do in each. */
  async describe(user: UserInfo): Promise<NamespaceAccess[]> {
    const names = await this.readable(user);
    return Promise.all(
      names.map(async (name) => {
        const [canApprove, canAsk, canEditAgents] = await Promise.all([
          this.can(user, { verb: APPROVE_VERB, resource: REMEDIATIONPLAN.plural, namespace: name }),
          this.can(user, { verb: "create", resource: SRETASK.plural, namespace: name }),
          this.can(user, { verb: "patch", resource: AGENTCONFIG.plural, namespace: name }),
        ]);
        return { name, canRead: true as const, canApprove, canAsk, canEditAgents };
      }),
    );
  }

  private async discover(): Promise<string[]> {
    const names = new Set<string>([this.defaultNamespace]);
    try {
      const list = await this.kube.client.request<List>("GET", "/api/v1/namespaces");
      for (const ns of list.items) if (ns.metadata?.name) names.add(ns.metadata.name);
      return [...names].sort();
    } catch {
      // The sidecar may not list namespaces: every namespace holding aisre objects will do.
    }
    const lists = await Promise.all(
      [SRETASK, REMEDIATIONPLAN, AGENTCONFIG].map((rt) =>
        this.kube.client.request<List>("GET", listPathOf(rt), { query: { limit: 5000 } }),
      ),
    );
    for (const list of lists)
      for (const o of list.items) if (o.metadata?.namespace) names.add(o.metadata.namespace);
    if (this.store) {
      const rows = await this.store
        .query<{ ns: string }>(`SELECT DISTINCT task_namespace AS "ns" FROM incidents`)
        .catch(() => []);
      for (const r of rows) names.add(r.ns);
    }
    return [...names].sort();
  }
}
