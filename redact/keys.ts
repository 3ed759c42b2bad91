/**
 * Which field, variable or flag names hold a secret value. Names are split into words
 * (snake_case, kebab-case, dotted, camelCase, leading dashes) and judged by their last words, so
 * `tokenizer`, `max_tokens` or `secretName` are not mistaken for `token` or `secret`. Pure.
 */

/** Words whose presence makes a name secret (gitleaks generic-api-key and detect-secrets KeywordDetector keywords). */
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "pass",
  "pwd",
  "secret",
  "token",
  "apikey",
  "accesskey",
  "secretkey",
  "privatekey",
  "credential",
  "credentials",
  "creds",
  "auth",
  "authtoken",
  "authorization",
  "cookie",
  "sessionid",
  "signature",
  "corpsecret",
  "encodingaeskey",
  "aeskey",
]);

/** Two words that together make a secret name (api_key, access-key, privateKey, session_id). */
const SECRET_PAIRS = new Set([
  "api key",
  "access key",
  "private key",
  "secret key",
  "session id",
  "aes key",
  "auth key",
  "master key",
  "signing key",
  "encryption key",
]);

/** Substrings that make any word secret (DBPASSWORD, PGPASSWORD, mysqlpasswd). */
const SECRET_INFIX = /password|passwd|passphrase/;

/** Last words that only say how the secret is encoded (GOOGLE_CREDENTIALS_JSON, secret_key_base). */
const ENCODING_TAIL = new Set([
  "value",
  "data",
  "string",
  "str",
  "json",
  "b64",
  "base64",
  "raw",
  "plain",
  "base",
]);

/** Splits a name into lower-case words: "--db-password" → db,password; "SecretAccessKey" → secret,access,key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/^[-"'\s\\]+|["'\s\\]+$/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * The words that decide: a dotted name (spring.datasource.password, com.shop.TokenService.java)
 * is judged by its last segment, with the last word before it for pairs (aws.secret.key).
 */
function decidingWords(name: string): string[] {
  const segments = name.split(".").filter((s) => s.length > 0);
  const last = nameWords(segments.at(-1) ?? "");
  const before = segments.length > 1 ? nameWords(segments.at(-2)!).slice(-1) : [];
  const words = [...before, ...last];
  return words.length > 1 && ENCODING_TAIL.has(words.at(-1)!) ? words.slice(0, -1) : words;
}

/**
 * True when a field, variable or flag of this name holds a secret value: its last word is a
 * secret word (DB_PASSWORD, client_secret, X-Auth-Token, --db-password) or its last two words
 * are a secret pair (apiKey, aws_secret_access_key). A name that only names, locates or
 * describes a secret ends in another word and is not one (secretName, tokenSecretRef,
 * token_ttl, password_reset_url, --password-file, tokenizer, max_tokens).
 */
export function isSecretKey(name: string): boolean {
  let known = verdicts.get(name);
  if (known === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(name, (known = judge(name)));
  }
  return known;
}

// Log lines repeat their keys (user=, id=, level=): remember the verdicts, boundedly.
const MAX_VERDICTS = 4096;
const verdicts = new Map<string, boolean>();

function judge(name: string): boolean {
  const words = decidingWords(name);
  const last = words.at(-1);
  if (last === undefined || words.length > 8) return false;
  if (SECRET_WORDS.has(last) || SECRET_INFIX.test(last)) return true;
  return words.length > 1 && SECRET_PAIRS.has(`${words.at(-2)} ${last}`);
}
