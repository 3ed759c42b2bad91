import { describe, expect, it } from "vitest";
import { SessionStore } from "./sessions.ts";

const user = { username: "alice", groups: ["sre"] };

describe("console sessions", () => {
  it("end when idle too long, and a read renews the idle time", () => {
    let now = 1_000_000;
    const store = new SessionStore({ ttlSeconds: 8 * 3600, idleSeconds: 3600 }, () => now);
    const s = store.create(user, "token-1");
    now += 3599_000;
    expect(store.get(s.id)?.user.username).toBe("alice");
    now += 3599_000;
    expect(store.get(s.id)).toBeDefined();
    now += 3601_000;
    expect(store.get(s.id)).toBeUndefined();
  });

  it("end after their lifetime even when used", () => {
    let now = 5_000_000;
    const store = new SessionStore({ ttlSeconds: 7200, idleSeconds: 3600 }, () => now);
    const s = store.create(user, "token-1");
    for (let i = 0; i < 4; i++) {
      now += 1800_000;
      if (i < 3) expect(store.get(s.id)).toBeDefined();
    }
    expect(store.get(s.id)).toBeUndefined();
  });

  it("have unguessable ids and CSRF tokens, and end on delete", () => {
    const store = new SessionStore({ ttlSeconds: 60, idleSeconds: 60 });
    const a = store.create(user, "token-a");
    const b = store.create(user, "token-b");
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(a.id);
    expect(a.id.length).toBeGreaterThanOrEqual(43);
    store.delete(a.id);
    expect(store.get(a.id)).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
    expect(store.size).toBe(1);
  });
});
