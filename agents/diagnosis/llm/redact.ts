/**
 * Redaction applied to everything an LLM sees: Secret data is never passed on, env values
 * and anything shaped like a password, token, key or connection string is replaced. Pure.
 * It errs toward masking: a diagnosis loses little when a random-looking string goes.
 */

/** What replaces a redacted value. */
export const REDACTED = "[REDACTED]";

/** A key whose value is a secret (password=, apiKey:, DB_TOKEN=, "client_secret": ...). */
const SECRET_KEY =
  /(password|passwd|pwd|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credentials?|auth[-_]?key|session[-_]?id|cookie|authorization)/i;
/** ... unless the key only names or describes one (secretName, tokenSecretRef, token_ttl). */
const NOT_A_VALUE_KEY =
  /(name|names|ref|refs|path|file|kind|type|mode|ttl|expiry|expires|expiration|length|count|enabled|version|format|url)$/i;

/** True when a field or variable of this name holds a secret value. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_VALUE_KEY.test(key);
}

type Rule = [RegExp, string | ((...m: string[]) => string)];

// Order matters: whole blocks and structured forms first, the entropy net last.
const RULES: Rule[] = [
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    "[REDACTED:private-key]",
  ],
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s@/]+)@/gi, `$1$2:${REDACTED}@`],
  [/\b(bearer)\s+[A-Za-z0-9\-._~+/]{12,}=*/gi, `$1 ${REDACTED}`],
  [/\b(basic)\s+[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9])/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[REDACTED:jwt]"],
  [/\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g, "[REDACTED:aws-key]"],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g, "[REDACTED:token]"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, "[REDACTED:token]"],
  [/\b(?:sk|rk|pk)[-_](?:live_|test_|proj-)?[A-Za-z0-9_-]{16,}/g, "[REDACTED:token]"],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, "[REDACTED:token]"],
  [
    /(["']?)([A-Za-z0-9_.-]+)\1(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'{[}\])][^\s,;&"'}\])]*)/g,
    (all, q, key, sep, value) => {
      if (!isSecretKey(key!)) return all!;
      const quote = value!.startsWith('"') || value!.startsWith("'") ? value![0]! : "";
      return `${q}${key}${q}${sep}${quote}${REDACTED}${quote}`;
    },
  ],
  [
    /(--?[A-Za-z0-9-]+)(\s+)(?!-)(\S+)/g,
    (all, flag, sp, _value) => (isSecretKey(flag!.replace(/^-+/, "")) ? `${flag}${sp}${REDACTED}` : all!),
  ],
  [/[A-Za-z0-9+_=-]{20,}/g, (token) => (looksRandom(token!) ? REDACTED : token!)],
];

/** Shannon entropy of a string, in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function charClass(ch: string): number {
  if (ch >= "a" && ch <= "z") return 0;
  if (ch >= "A" && ch <= "Z") return 1;
  if (ch >= "0" && ch <= "9") return 2;
  return 3;
}

/**
 * True for a token that looks generated (API keys, base64 secrets, long hex) rather than
 * written (pod names, CamelCase reasons, versions): random strings mix cases and digits
 * and switch between them often, CamelCase words rarely.
 */
export function looksRandom(token: string): boolean {
  if (/^[a-z0-9.-]+$/.test(token)) return /^[a-f0-9]{32,}$/.test(token) && /[a-f]/.test(token);
  if (token.length < 20 || !/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  if ((token.match(/\d/g) ?? []).length < 2) return false;
  let switches = 0;
  for (let i = 1; i < token.length; i++) if (charClass(token[i]!) !== charClass(token[i - 1]!)) switches++;
  return switches / token.length >= 0.3 && entropy(token) >= 3.7;
}

/** Replaces secrets in free text (logs, messages, annotations) with REDACTED markers. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, by] of RULES) out = out.replace(re, by as (substring: string, ...args: string[]) => string);
  return out;
}

const DROPPED_ANNOTATIONS = new Set([
  // kubectl keeps the whole applied object here, Secret data included.
  "kubectl.kubernetes.io/last-applied-configuration",
]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function redactMetadata(meta: unknown, depth: number): unknown {
  if (!isObject(meta)) return redactValue(meta, depth);
  const { managedFields: _drop, annotations, ...rest } = meta;
  const out = redactValue(rest, depth) as Json;
  if (isObject(annotations)) {
    const kept = Object.entries(annotations).filter(([k]) => !DROPPED_ANNOTATIONS.has(k));
    out.annotations = redactValue(Object.fromEntries(kept), depth);
  }
  return out;
}

function redactSecret(secret: Json, depth: number): Json {
  // Only the shape survives: which keys exist (MissingConfig needs that), never a value.
  const keys = [...Object.keys(isObject(secret.data) ? secret.data : {})];
  for (const k of Object.keys(isObject(secret.stringData) ? secret.stringData : {}))
    if (!keys.includes(k)) keys.push(k);
  const out: Json = { apiVersion: secret.apiVersion, kind: "Secret" };
  out.metadata = redactMetadata(secret.metadata, depth);
  if (typeof secret.type === "string") out.type = secret.type;
  out.dataKeys = keys.sort();
  return out;
}

function redactEnv(env: unknown[], depth: number): unknown[] {
  return env.map((e) => {
    if (!isObject(e)) return redactValue(e, depth);
    const { value, ...rest } = e;
    const out = redactValue(rest, depth) as Json;
    if (value !== undefined) out.value = REDACTED;
    return out;
  });
}

function redactEntries(obj: Json, depth: number): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "metadata") out[k] = redactMetadata(v, depth);
    else if (k === "env" && Array.isArray(v)) out[k] = redactEnv(v, depth);
    else if (typeof v === "string" && isSecretKey(k)) out[k] = REDACTED;
    else out[k] = redactValue(v, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 64) return REDACTED;
  if (typeof value === "string") return redactText(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (!isObject(value)) return value;
  if (value.kind === "Secret" && ("data" in value || "stringData" in value || "metadata" in value))
    return redactSecret(value, depth + 1);
  return redactEntries(value, depth + 1);
}

/**
 * A redacted deep copy: Secret objects keep only their key names, env[].value and fields
 * named like secrets are replaced, managedFields and last-applied annotations are dropped,
 * and every string goes through redactText.
 */
export function redactObject<T>(value: T): T {
  return redactValue(value, 0) as T;
}
