import type { Watch } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";

type Callback = (type: string, obj: unknown) => void;

/** A stand-in for client-node's Watch: records calls and lets the test push events. */
function stubWatch() {
  const calls: {
    path: string;
    query: Record<string, unknown>;
    cb: Callback;
    done: (err: unknown) => void;
    aborted: boolean;
  }[] = [];
  const watch = {
    watch: async (
      path: string,
      query: Record<string, unknown>,
      cb: Callback,
      done: (err: unknown) => void,
    ) => {
      const call = { path, query, cb, done, aborted: false };
      calls.push(call);
      const abort = new AbortController();
      abort.signal.addEventListener("abort", () => (call.aborted = true));
      return abort;
    },
  };
  return { watch: watch as unknown as Watch, calls };
}

const task = (phase: string, rv: string, message?: string) => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t1", namespace: "shop", resourceVersion: rv },
  spec: { description: "x" },
  status: { phase, ...(message ? { message } : {}) },
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

let t: TestSidecar;
afterEach(async () => t.close());

async function setup(extra: { heartbeatMs?: number } = {}) {
  const stub = stubWatch();
  t = await testSidecar({}, { watch: stub.watch, sse: { heartbeatMs: extra.heartbeatMs ?? 60_000 } });
  t.fake.users.set("v", { username: "bob", allow: ["get sretasks shop", "watch sretasks shop"] });
  t.fake.users.set("g", { username: "eve", allow: ["get sretasks shop"] });
  t.fake.put("sretasks", task("Pending", "1"));
  return stub;
}

describe("GET /api/v1/tasks/{ns}/{name}/events", () => {
  it("streams the current phase, each change, and ends on a final phase", async () => {
    const stub = await setup();
    const pending = t.app.inject({
      url: "/api/v1/tasks/shop/t1/events",
      headers: { authorization: "Bearer v" },
    });
    await until(() => stub.calls.length === 1);
    const call = stub.calls[0]!;
    expect(call.path).toBe("/apis/aisre.io/v1alpha1/namespaces/shop/sretasks");
    expect(call.query).toMatchObject({ fieldSelector: "metadata.name=t1", allowWatchBookmarks: true });
    call.cb("MODIFIED", task("Diagnosing", "103"));
    call.cb("MODIFIED", task("Diagnosing", "104")); // no phase change: not sent
    call.cb("BOOKMARK", { metadata: { resourceVersion: "105" } });
    call.cb("MODIFIED", task("Succeeded", "106", "fixed"));
    const res = await pending;
    expect(res.headers["content-type"]).toContain("text/event-stream");
    const events = res.body.split("\n\n").filter(Boolean);
    expect(events.map((e) => /event: (\w+)/.exec(e)?.[1])).toEqual(["phase", "phase", "phase", "end"]);
    expect(events[2]).toContain('"phase":"Succeeded","message":"fixed"');
    expect(call.aborted).toBe(true);
  });

  it("resumes the watch from the last resourceVersion when it ends", async () => {
    const stub = await setup();
    const pending = t.app.inject({
      url: "/api/v1/tasks/shop/t1/events",
      headers: { authorization: "Bearer v" },
    });
    await until(() => stub.calls.length === 1);
    stub.calls[0]!.cb("MODIFIED", task("Diagnosing", "110"));
    stub.calls[0]!.done(null);
    await until(() => stub.calls.length === 2);
    expect(stub.calls[1]!.query.resourceVersion).toBe("110");
    stub.calls[1]!.cb("DELETED", task("Diagnosing", "111"));
    const events = (await pending).body.split("\n\n").filter(Boolean);
    expect(events.map((e) => /event: (\w+)/.exec(e)?.[1])).toEqual(["phase", "phase", "deleted"]);
  });

  it("needs watch as well as get", async () => {
    await setup();
    const res = await t.app.inject({
      url: "/api/v1/tasks/shop/t1/events",
      headers: { authorization: "Bearer g" },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain("may not watch");
  });

  it("404 before streaming when the task does not exist", async () => {
    await setup();
    const res = await t.app.inject({
      url: "/api/v1/tasks/shop/nope/events",
      headers: { authorization: "Bearer v" },
    });
    expect(res.statusCode).toBe(404);
  });
});
