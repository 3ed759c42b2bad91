/**
 * The one redactor of the operator: every text that leaves it (DiagnosisRun and SreTask status,
 * Kubernetes Events, incident rows, notifications, LLM prompts, log lines) goes through it.
 * Pure and dependency-free, so every layer may import it (eslint.layers.js). The rules are
 * data in rules.ts, with their sources; corpus.test.ts measures recall and precision.
 */
import { isSecretKey } from "./keys.ts";
import { MASK, RULES } from "./rules.ts";

export { MASK, RULES, maskValue, type RedactRule } from "./rules.ts";
export { isSecretKey, nameWords } from "./keys.ts";

/** Masks secrets in free text (log lines, messages, summaries, JSON log records). Idempotent. */
export function redactText(text: string): string {
  if (text.length < 6) return text;
  const lower = text.toLowerCase();
  let out = text;
  for (const rule of RULES) {
    if (rule.hints && !rule.hints.some((h) => lower.includes(h))) continue;
    rule.pattern.lastIndex = 0;
    out =
      typeof rule.replace === "string"
        ? out.replace(rule.pattern, rule.replace)
        : out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  }
  return out;
}

/** Masks every occurrence of known secret values (exact match, at least 4 characters), then redactText. */
export function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return redactText(out);
}

const DROPPED_ANNOTATIONS = new Set([
  // kubectl keeps the whole applied object here, Secret data included.
  "kubectl.kubernetes.io/last-applied-configuration",
]);

type Json = Record<string, unknown>;

const isPlain = (v: unknown): v is Json => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

function redactMetadata(meta: unknown, depth: number): unknown {
  if (!isPlain(meta)) return redactValue(meta, depth);
  const { managedFields: _drop, annotations, ...rest } = meta;
  const out = redactValue(rest, depth) as Json;
  if (isPlain(annotations)) {
    const kept = Object.entries(annotations).filter(([k]) => !DROPPED_ANNOTATIONS.has(k));
    out.annotations = redactValue(Object.fromEntries(kept), depth);
  }
  return out;
}

function redactSecret(secret: Json, depth: number): Json {
  // Only the shape survives: which keys exist (MissingConfig needs that), never a value.
  const keys = [...Object.keys(isPlain(secret.data) ? secret.data : {})];
  for (const k of Object.keys(isPlain(secret.stringData) ? secret.stringData : {}))
    if (!keys.includes(k)) keys.push(k);
  const out: Json = { apiVersion: secret.apiVersion, kind: "Secret" };
  out.metadata = redactMetadata(secret.metadata, depth);
  if (typeof secret.type === "string") out.type = secret.type;
  out.dataKeys = keys.sort();
  return out;
}

function redactEnv(env: unknown[], depth: number): unknown[] {
  return env.map((e) => {
    if (!isPlain(e)) return redactValue(e, depth);
    const { value, ...rest } = e;
    const out = redactValue(rest, depth) as Json;
    if (value !== undefined) out.value = MASK;
    return out;
  });
}

/** A list of strings such as container args: the item after a secret flag (`--db-password`, `x`) is masked. */
function redactList(list: unknown[], depth: number): unknown[] {
  const out = list.map((v) => redactValue(v, depth + 1));
  for (let i = 0; i + 1 < out.length; i++) {
    const flag = out[i];
    const next = out[i + 1];
    if (typeof flag !== "string" || typeof next !== "string" || !/^--?[A-Za-z][\w.-]*$/.test(flag)) continue;
    if (isSecretKey(flag) && !next.startsWith("-")) out[i + 1] = MASK;
  }
  return out;
}

function redactEntries(obj: Json, depth: number): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "metadata") out[k] = redactMetadata(v, depth);
    else if (k === "env" && Array.isArray(v)) out[k] = redactEnv(v, depth);
    else if (typeof v === "string" && v.length > 0 && isSecretKey(k)) out[k] = MASK;
    else out[k] = redactValue(v, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 64) return MASK;
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return redactList(value, depth);
  if (!isPlain(value)) return value;
  if (value.kind === "Secret" && ("data" in value || "stringData" in value || "metadata" in value))
    return redactSecret(value, depth + 1);
  return redactEntries(value, depth + 1);
}

/**
 * A redacted deep copy of plain data: Secret objects keep only their key names, env[].value and
 * fields named like secrets are masked, the value after a secret flag in a list is masked,
 * managedFields and last-applied annotations are dropped, and every string goes through
 * redactText. Class instances (Dates, Errors, Buffers) are kept as they are.
 */
export function redactObject<T>(value: T): T {
  return redactValue(value, 0) as T;
}
