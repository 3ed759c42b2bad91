/**
 * Follows a task's progress over Server-Sent Events (GET /console/api/tasks/:ns/:name/stream):
 * phase, finding, rootCause and done events. While the connection is lost it says so
 * (`reconnecting`) and comes back by itself: EventSource retries with the server's `retry:`
 * and sends Last-Event-ID, and a stream the browser gave up on is opened again with backoff.
 */
import { useEffect, useState } from "react";
import { API_BASE, api } from "../api/client.ts";
import type { Finding, RootCause } from "../api/types.ts";

export interface TaskProgress {
  phase: string | undefined;
  message: string | undefined;
  findings: Finding[];
  rootCause: RootCause | undefined;
  reconnecting: boolean;
  /** The stream is over: done, or the server ended it (deleted, denied). */
  finished: boolean;
  /** Why the server ended it, when not done. */
  endedWith: string | undefined;
}

const EMPTY: TaskProgress = {
  phase: undefined,
  message: undefined,
  findings: [],
  rootCause: undefined,
  reconnecting: false,
  finished: false,
  endedWith: undefined,
};

function parse(e: Event): Record<string, unknown> {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The stream URL of a task. */
export function streamUrl(namespace: string, name: string): string {
  return `${API_BASE}/tasks/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/stream`;
}

/** Applies one named event to the progress. */
export function reduce(p: TaskProgress, type: string, data: Record<string, unknown>): TaskProgress {
  switch (type) {
    case "phase":
      return { ...p, phase: str(data.phase) ?? p.phase, message: str(data.message) ?? p.message };
    case "finding": {
      // A reopened stream sends its findings again: keep each once.
      const f = (data.finding ?? data) as Finding;
      const key = JSON.stringify([f.category, f.resource, f.message]);
      if (p.findings.some((x) => JSON.stringify([x.category, x.resource, x.message]) === key)) return p;
      return { ...p, findings: [...p.findings, f] };
    }
    case "rootCause":
      return { ...p, rootCause: (data.rootCause ?? data) as RootCause };
    case "done":
    case "end":
      return { ...p, phase: str(data.phase) ?? p.phase, finished: true, reconnecting: false };
    default:
      return { ...p, finished: true, reconnecting: false, endedWith: str(data.message) ?? type };
  }
}

const EVENTS = ["phase", "finding", "rootCause", "done", "end", "deleted", "denied"];
const FINAL = new Set(["done", "end", "deleted", "denied"]);

/** Follows one task while namespace and name are set. */
export function useTaskStream(namespace: string | undefined, name: string | undefined): TaskProgress {
  const [progress, setProgress] = useState<TaskProgress>(EMPTY);
  useEffect(() => {
    setProgress(EMPTY);
    if (!namespace || !name) return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let attempt = 0;
    const close = () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    };
    const open = () => {
      if (closed) return;
      const es = new EventSource(streamUrl(namespace, name));
      source = es;
      es.onopen = () => {
        attempt = 0;
        setProgress((p) => ({ ...p, reconnecting: false }));
      };
      for (const type of EVENTS) {
        es.addEventListener(type, (e) => {
          setProgress((p) => reduce(p, type, parse(e)));
          if (FINAL.has(type)) close();
        });
      }
      es.onerror = (e) => {
        if (closed) return;
        // A server-sent `error` event carries data: the stream failed on the server's side.
        if (e instanceof MessageEvent && typeof e.data === "string") {
          setProgress((p) => reduce(p, "error", parse(e)));
          close();
          return;
        }
        setProgress((p) => ({ ...p, reconnecting: true }));
        if (es.readyState === EventSource.CLOSED) {
          // The browser gave up (an error status): if the session ended, the probe's 401 signs
          // the user out and this page goes away; otherwise try again, more slowly each time.
          attempt += 1;
          void api("GET", "/session").catch(() => undefined);
          timer = setTimeout(open, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
        }
      };
    };
    open();
    return close;
  }, [namespace, name]);
  return progress;
}
