/**
 * A small redactor for text that leaves the operator or the sidecar (notifications, chat replies,
 * log fields):
 * masks what looks like a credential. It is a safety net, not a guarantee; callers still never
 * put secrets or raw log lines into outgoing text on purpose.
 */

/** What replaces a masked value. */
export const MASK = "***";

// Names whose value is a secret in key=value, key: value and JSON "key": "value" forms.
const SECRET_KEYS =
  "(?:password|passwd|pwd|secret|client[_-]?secret|corpsecret|token|access[_-]?token|refresh[_-]?token|" +
  "api[_-]?key|apikey|access[_-]?key(?:[_-]?id)?|secret[_-]?key|private[_-]?key|credentials?|auth|" +
  "authorization|session[_-]?id|cookie|signature|sig|encoding[_-]?aes[_-]?key|aes[_-]?key|key)";

interface Rule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

// Order matters: whole blocks and URLs first, so later rules do not see half-masked text.
const RULES: Rule[] = [
  {
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replace: MASK,
  },
  // scheme://user:password@host — connection strings and URLs with credentials.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, replace: `$1${MASK}@` },
  // JSON "password": "value"
  {
    pattern: new RegExp(`("[A-Za-z0-9_.-]*?${SECRET_KEYS}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi"),
    replace: `$1"${MASK}"`,
  },
  // key=value, key: value (also URL query parameters such as access_token=...&key=...)
  {
    pattern: new RegExp(
      `\\b([A-Za-z0-9_.-]*?${SECRET_KEYS})(\\s*[=:]\\s*)(?!${escapeForRegex(MASK)})[^\\s&,;"'<>]+`,
      "gi",
    ),
    replace: `$1$2${MASK}`,
  },
  { pattern: /(密码|口令|令牌|密钥|秘钥)(\s*[=:：]\s*)[^\s,，;；]+/g, replace: `$1$2${MASK}` },
  { pattern: /\b(Bearer|Basic|token)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, replace: `$1 ${MASK}` },
  // JSON Web Tokens.
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: MASK },
  // Well-known token shapes: AWS access key ids, GitHub, Slack, OpenAI-style keys.
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: MASK },
  {
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,})\b/g,
    replace: MASK,
  },
  // Long opaque strings mixing letters and digits (keys, tokens, base64 secrets).
  { pattern: /[A-Za-z0-9+/_]{32,}={0,2}/g, replace: (m) => (looksOpaque(m) ? MASK : m) },
];

function escapeForRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True for a run with both letters and digits: a token, not a word or a number. */
function looksOpaque(s: string): boolean {
  return /[0-9]/.test(s) && /[A-Za-z]/.test(s);
}

/** Masks substrings that look like tokens, passwords, keys or credentials in connection strings. */
export function redact(text: string): string {
  let out = text;
  for (const { pattern, replace } of RULES) {
    out = typeof replace === "string" ? out.replace(pattern, replace) : out.replace(pattern, replace);
  }
  return out;
}

/** Masks every occurrence of known secret values (exact match), then applies redact(). */
export function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return redact(out);
}
