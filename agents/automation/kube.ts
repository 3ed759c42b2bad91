/**
 * Small helpers for talking to the API server the way every action must: one field manager,
 * explicit patch content types (client-node 2.x picks JSON Patch unless told), dryRun=All,
 * and readable messages out of API errors.
 */
import { ApiException, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { ConfigurationOptions, V1LabelSelector } from "@kubernetes/client-node";

// One field manager and one HTTP status helper for the whole project: kube/kube-api.ts.
export { FIELD_MANAGER, isNotFound, statusCode } from "../../kube/kube-api.ts";
import { isNotFound } from "../../kube/kube-api.ts";

/** client-node request options that send the body as a JSON merge patch (RFC 7386). */
export const MERGE_PATCH: ConfigurationOptions = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
/** client-node request options that send the body as a JSON patch (RFC 6902). */
export const JSON_PATCH: ConfigurationOptions = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

/** The dryRun query value: "All" for a server-side dry run, undefined for the real request. */
export const dryRunParam = (dryRun: boolean): "All" | undefined => (dryRun ? "All" : undefined);

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "test";
  path: string;
  value?: unknown;
}

/** The API server's message out of an error (its Status body), else the error's own message. */
export function apiMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === "string") {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === "string") return parsed.message;
      } catch {
        // Not JSON: fall through to the raw text.
      }
      if (body) return `HTTP ${err.code}: ${body.slice(0, 500)}`;
    }
    const message = (body as { message?: unknown } | undefined)?.message;
    if (typeof message === "string") return message;
    return `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Runs a dry-run request and turns its outcome into a DryRunResult. */
export async function dryRunOutcome(
  request: () => Promise<unknown>,
  passedMessage: string,
): Promise<{ passed: boolean; message: string }> {
  try {
    await request();
    return { passed: true, message: passedMessage };
  } catch (err) {
    return { passed: false, message: `dry run rejected: ${apiMessage(err)}` };
  }
}

/** Reads an object, resolving undefined on 404. */
export async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** "namespace/name" of a pod, the form blast radii and policy use. */
export const podKey = (namespace: string | undefined, name: string | undefined): string =>
  `${namespace ?? ""}/${name ?? ""}`;

/** A LabelSelector as the labelSelector query string (matchLabels and matchExpressions). */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}
