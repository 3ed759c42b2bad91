/**
 * An in-memory stand-in for kube-apiserver for the sidecar's unit tests, served over real HTTP
 * (kube/fake-api-server.ts) so the real client-node request path is exercised:
 * custom resources (create, get, list, merge/JSON patch, /status), TokenReview,
 * SubjectAccessReview and /version. `down` makes every request fail with a status.
 */
import { randomUUID } from "node:crypto";
import { startFakeApiServer } from "../../kube/fake-api-server.ts";
import type { FakeReply, RecordedRequest } from "../../kube/fake-api-server.ts";
import { sidecarKube } from "../kube.ts";
import type { SidecarKube } from "../kube.ts";

type Obj = {
  metadata: Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
} & Record<string, unknown>;

/** A user TokenReview accepts. */
export interface FakeUser {
  username: string;
  groups?: string[];
  /** "verb resource namespace" triples allowed, e.g. "get sretasks team-a"; "*" namespace for all. */
  allow: string[];
}

export interface FakeKube {
  kube: SidecarKube;
  /** Stored objects by "plural/namespace/name". */
  objects: Map<string, Obj>;
  requests: RecordedRequest[];
  /** Tokens TokenReview accepts. */
  users: Map<string, FakeUser>;
  /** Namespaces whose creates fail with 404 (the namespace does not exist). */
  missingNamespaces: Set<string>;
  /** When set, every request is answered with this status. */
  down?: number;
  /** Requests that wrote (POST/PATCH/PUT/DELETE) to custom resources. */
  writes(): RecordedRequest[];
  put(plural: string, obj: Obj): void;
  close(): Promise<void>;
}

const CR = /^\/apis\/aisre\.io\/v1alpha1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/(status))?$/;
const CR_ALL = /^\/apis\/aisre\.io\/v1alpha1\/([^/]+)$/;
const status = (code: number, reason: string, message: string): FakeReply => ({
  status: code,
  body: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message },
});

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function jsonPatch(obj: Obj, ops: { op: string; path: string; value: unknown }[]): Obj {
  const copy = structuredClone(obj);
  for (const op of ops) {
    const parts = op.path.split("/").slice(1);
    let node = copy as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
    node[parts.at(-1)!] = op.value;
  }
  return copy;
}

/** Starts the fake API server. */
export async function startFakeKube(): Promise<FakeKube> {
  const objects = new Map<string, Obj>();
  const users = new Map<string, FakeUser>();
  const missingNamespaces = new Set<string>();
  let rv = 100;
  const store = (plural: string, obj: Obj): Obj => {
    obj.metadata.resourceVersion = String(++rv);
    objects.set(`${plural}/${obj.metadata.namespace as string}/${obj.metadata.name as string}`, obj);
    return obj;
  };

  function customResource(req: RecordedRequest, m: RegExpExecArray): FakeReply {
    const [, ns, plural, name, sub] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const key = `${plural}/${ns}/${name}`;
    const found = objects.get(key);
    if (req.method === "POST" && !name) {
      if (missingNamespaces.has(ns)) return status(404, "NotFound", `namespaces "${ns}" not found`);
      const obj = structuredClone(req.body) as Obj;
      obj.metadata.namespace = ns;
      obj.metadata.name ??= `${String(obj.metadata.generateName)}${randomUUID().slice(0, 5)}`;
      if (objects.has(`${plural}/${ns}/${obj.metadata.name as string}`))
        return status(409, "AlreadyExists", "already exists");
      Object.assign(obj.metadata, {
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString(),
        generation: 1,
      });
      return { status: 201, body: store(plural, obj) };
    }
    if (req.method === "GET" && !name) {
      const items = [...objects.entries()]
        .filter(([k]) => k.startsWith(`${plural}/${ns}/`))
        .map(([, v]) => v);
      return { body: { items, metadata: {} } };
    }
    if (!found) return status(404, "NotFound", `${plural} "${name}" not found`);
    if (req.method === "GET") return { body: found };
    if (req.method !== "PATCH") return status(405, "MethodNotAllowed", req.method);
    if (sub === "status")
      return {
        body: store(plural, {
          ...found,
          status: mergePatch(found.status, (req.body as Obj).status) as Obj["status"],
        }),
      };
    const patched = req.contentType?.startsWith("application/json-patch")
      ? jsonPatch(found, req.body as never)
      : (mergePatch(found, req.body) as Obj);
    return { body: store(plural, patched) };
  }

  function allowed(body: { spec: { user: string; resourceAttributes: Record<string, string> } }): boolean {
    const user = [...users.values()].find((u) => u.username === body.spec.user);
    const a = body.spec.resourceAttributes;
    return (user?.allow ?? []).some((rule) => {
      const [verb, resource, ns] = rule.split(" ");
      return verb === a.verb && resource === a.resource && (ns === "*" || ns === (a.namespace ?? ""));
    });
  }

  function reply(req: RecordedRequest): FakeReply {
    if (fake.down) return status(fake.down, "InternalError", "fake API server is down");
    if (req.path === "/version") return { body: { gitVersion: "v1.fake" } };
    if (req.path === "/apis/authentication.k8s.io/v1/tokenreviews") {
      const u = users.get((req.body as { spec: { token: string } }).spec.token);
      return {
        status: 201,
        body: {
          status: u
            ? { authenticated: true, user: { username: u.username, groups: u.groups ?? [] } }
            : { authenticated: false },
        },
      };
    }
    if (req.path === "/apis/authorization.k8s.io/v1/subjectaccessreviews")
      return { status: 201, body: { status: { allowed: allowed(req.body as never) } } };
    const m = CR.exec(req.path);
    if (m) return customResource(req, m);
    const all = CR_ALL.exec(req.path);
    if (all && req.method === "GET")
      return {
        body: {
          items: [...objects.entries()].filter(([k]) => k.startsWith(`${all[1]}/`)).map(([, v]) => v),
          metadata: {},
        },
      };
    return status(404, "NotFound", `no route ${req.path}`);
  }

  const server = await startFakeApiServer((req) => reply(req));
  const fake: FakeKube = {
    kube: sidecarKube(server.kc),
    objects,
    requests: server.requests,
    users,
    missingNamespaces,
    writes: () => server.requests.filter((r) => r.path.startsWith("/apis/aisre.io/") && r.method !== "GET"),
    put: (plural, obj) => {
      store(plural, structuredClone(obj));
    },
    close: server.close,
  };
  return fake;
}
