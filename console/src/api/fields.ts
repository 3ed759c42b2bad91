/**
 * Server field errors beside their form field: a 400/422 naming `field` ("reason",
 * "spec.llm.model") is set on that antd Form field; the form keeps what the user typed.
 */
import type { FormInstance } from "antd";
import { ApiError } from "./client.ts";

/** The antd name path of a server field, relative to the form (a leading "spec." dropped). */
export function namePathOf(field: string, prefix = "spec."): (string | number)[] {
  const rel = field.startsWith(prefix) ? field.slice(prefix.length) : field;
  return rel
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((p) => p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Shows a server field error on the form; true when the form has that field, false when the
 * caller must show the error elsewhere.
 */
export function applyFieldError(form: FormInstance, err: unknown, known: string[][]): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const name = namePathOf(err.field);
  const hit = known.find((k) => k.join(".") === name.join("."));
  if (!hit) return false;
  form.setFields([{ name: hit, errors: [err.message] }]);
  return true;
}
