/**
 * The secret shapes the redactor masks, as data. Each rule names where its shape comes from:
 *
 * - gitleaks default config (github.com/gitleaks/gitleaks, config/gitleaks.toml): rule ids
 *   aws-access-token, github-pat, github-oauth, github-app-token, github-refresh-token,
 *   github-fine-grained-pat, gitlab-pat, slack-bot-token, slack-user-token, slack-app-token,
 *   slack-webhook-url, gcp-api-key, stripe-access-token, openai-api-key, anthropic-api-key,
 *   npm-access-token, sendgrid-api-token, jwt, private-key, curl-auth-header, generic-api-key.
 * - Yelp detect-secrets plugins (github.com/Yelp/detect-secrets, detect_secrets/plugins):
 *   AWSKeyDetector (the 40-character secret key after an aws…secret/key name), BasicAuthDetector
 *   (scheme://user:password@host), KeywordDetector (password/secret/token/api_key… = value, also
 *   as CLI flags), PrivateKeyDetector, JwtTokenDetector, SlackDetector, StripeDetector.
 * - GitHub secret scanning supported patterns (docs.github.com, "Supported secret scanning
 *   patterns"): the token prefixes above (AKIA/ASIA, ghp_/gho_/ghu_/ghs_/ghr_/github_pat_,
 *   xox*, AIza, sk_live_/rk_live_, glpat-, npm_, SG.).
 * - secretlint recommended preset (@secretlint/secretlint-rule-preset-recommend): basicauth,
 *   database-connection-string, privatekey.
 * - Docker CLI config file (docs.docker.com, `docker login`, config.json `auths.<registry>.auth`
 *   = base64 user:password; Kubernetes `.dockerconfigjson` has the same shape).
 * - RFC 7235 / RFC 6750 Authorization header schemes (Bearer, Basic, Token, Digest…).
 * - mysql(1), redis-cli(1), sshpass(1): `-pPASSWORD`, `-a PASSWORD`, `-p PASSWORD`.
 *
 * Masking keeps the text useful: the scheme, user, host, key name, flag or token prefix stay,
 * only the secret becomes MASK (`postgres://app:***@db:5432`, `--db-password ***`, `ghp_***`).
 * Every rule is idempotent: masked text stays as it is when redacted again.
 */
import { isSecretKey, nameWords } from "./keys.ts";

/** What replaces a secret. */
export const MASK = "***";

type Replacer = (match: string, ...groups: string[]) => string;

/** One secret shape. */
export interface RedactRule {
  id: string;
  /** Where the shape is documented (see the list above). */
  source: string;
  pattern: RegExp;
  replace: string | Replacer;
  /** The rule runs only on text whose lower-case form contains one of these (a cheap pre-check). */
  hints?: readonly string[];
}

// Values never swallow a backslash or a quote, so masking inside a JSON log line keeps it JSON.
const BARE = String.raw`[^\s,;&"'<>{}\[\]()\\]+`;
// Quoted with ", ', or an escaped quote (\" in a JSON string, \\\" one level deeper).
const QUOTED = String.raw`\\+"[^"\n]*?\\+"|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'`;
const FLAG = String.raw`--?[A-Za-z][A-Za-z0-9_.-]*`;
const AUTH_SCHEMES =
  "bearer|basic|token|digest|negotiate|ntlm|apikey|api-key|aws4-hmac-sha256|sso-key|hmac|mac";

/** Masks a value keeping its quotes: "x" → "***", \"x\" → \"***\", x → ***. */
export function maskValue(value: string): string {
  const q = /^\\*["']/.exec(value)?.[0];
  return q ? `${q}${MASK}${q}` : MASK;
}

/** A value already masked, or a header scheme word the Authorization rule keeps. */
function keepValue(value: string): boolean {
  return value.includes(MASK) || new RegExp(`^["']?(?:${AUTH_SCHEMES})["']?$`, "i").test(value);
}

/** True for something shaped like a credential rather than a word (has a digit, a symbol or inner capitals). */
function credentialShaped(value: string): boolean {
  return /[0-9+/=_.~-]/.test(value) || (/[A-Z]/.test(value.slice(1)) && /[a-z]/.test(value));
}

// The key starts where a name starts (the lookbehind): no retrying from inside every word.
const KEY_VALUE = String.raw`(\\*["']?)(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*|${FLAG})\1([ \t]*[=:][ \t]*)(${QUOTED}|${BARE})`;

// replace() collects every match before calling back, so the recursion below may reuse it.
const KEY_VALUE_INNER = new RegExp(KEY_VALUE, "g");

const keyValue: Replacer = (all, q, key, sep, value) => {
  // A quoted value of another key ("msg": "... password=x ...") is searched on its own.
  if (!isSecretKey(key!)) return `${q}${key}${q}${sep}${value!.replace(KEY_VALUE_INNER, keyValue)}`;
  if (keepValue(value!)) return all;
  // PWD=/app is the shell's working directory, not a password.
  if (nameWords(key!).at(-1) === "pwd" && value!.startsWith("/")) return all;
  return `${q}${key}${q}${sep}${maskValue(value!)}`;
};

const flagValue: Replacer = (all, lead, flag, space, value) =>
  isSecretKey(flag!) && !keepValue(value!) ? `${lead}${flag}${space}${maskValue(value!)}` : all;

const listItem: Replacer = (all, ...g) => {
  const [head, , flag, comma, vq, value] = g as [string, string, string, string, string, string];
  return isSecretKey(flag) && !value.startsWith("-") && !value.includes(MASK)
    ? `${head}${comma}${vq}${MASK}${vq}`
    : all;
};

// mysql -uroot -pSECRET; a lone -u 1000 (docker run) is not enough: -p8080:80 is a port there.
const MYSQL_CONTEXT = /\b(?:mysql\w*|mariadb\w*|mycli)\b|[\s"',]-u[A-Za-z]\S*/;

const mysqlPassword: Replacer = (all, lead, _value, offset, text) => {
  const o = Number(offset);
  const line = String(text).slice(String(text).lastIndexOf("\n", o) + 1, o);
  return MYSQL_CONTEXT.test(line) ? `${lead}${MASK}` : all;
};

const bareScheme: Replacer = (all, scheme, space, value) =>
  credentialShaped(value!) ? `${scheme}${space}${MASK}` : all;

/** The rules, in order: whole blocks and structured forms first, name-driven heuristics last. */
export const RULES: readonly RedactRule[] = [
  {
    id: "private-key",
    source: "gitleaks private-key; detect-secrets PrivateKeyDetector; secretlint privatekey",
    pattern:
      /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*?PRIVATE KEY(?: BLOCK)?-----|(?=\\?")|$)/g,
    replace: (_m, kind, block = "") =>
      `-----BEGIN ${kind}PRIVATE KEY${block}-----${MASK}-----END ${kind}PRIVATE KEY${block}-----`,
    hints: ["private key"],
  },
  {
    id: "url-credentials",
    source: "detect-secrets BasicAuthDetector; secretlint basicauth, database-connection-string",
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@"'<>\\]*):([^\s/?#"'<>\\]+)@/gi,
    replace: `$1$2:${MASK}@`,
    hints: ["://"],
  },
  {
    id: "docker-config-auth",
    source: 'Docker config.json / .dockerconfigjson "auth": base64(user:password), "identitytoken"',
    pattern: /(\\*"(?:auth|identitytoken|registrytoken)\\*"[ \t]*:[ \t]*\\*")([^"\\\s]+)/gi,
    replace: `$1${MASK}`,
    hints: ['"auth', "token"],
  },
  {
    id: "authorization-header",
    source: "gitleaks curl-auth-header; RFC 7235 / RFC 6750 Authorization schemes",
    pattern: new RegExp(
      String.raw`\b((?:proxy-)?authorization)(\\?["']?[ \t]*[:=][ \t]*\\?["']?)((?:${AUTH_SCHEMES})[ \t]+)?([^\s"',;\\]+)`,
      "gi",
    ),
    replace: (all, key, sep, scheme = "", cred) => (cred === MASK ? all : `${key}${sep}${scheme}${MASK}`),
    hints: ["authorization"],
  },
  {
    id: "aws-access-key-id",
    source: "gitleaks aws-access-token; detect-secrets AWSKeyDetector; GitHub secret scanning",
    pattern: /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g,
    replace: `$1${MASK}`,
    hints: ["a3t", "akia", "asia", "abia", "acca", "agpa", "aida", "aipa", "anpa", "anva", "aroa", "apka"],
  },
  {
    id: "aws-secret-access-key",
    source: "detect-secrets AWSKeyDetector; gitleaks (aws … 40 chars of [A-Za-z0-9/+])",
    pattern:
      /\b(aws[\w .-]{0,20}?(?:secret|key)[\w .-]{0,20}?\\?["']?[ \t]*[:=]?>?[ \t]*\\?["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    replace: `$1${MASK}`,
    hints: ["aws"],
  },
  {
    id: "github-token",
    source: "gitleaks github-pat/-oauth/-app-token/-refresh-token; GitHub secret scanning",
    pattern: /\b(gh[pousr]_)[A-Za-z0-9]{36,255}\b/g,
    replace: `$1${MASK}`,
    hints: ["gh"],
  },
  {
    id: "github-fine-grained-pat",
    source: "gitleaks github-fine-grained-pat; GitHub secret scanning",
    pattern: /\b(github_pat_)[A-Za-z0-9_]{22,255}/g,
    replace: `$1${MASK}`,
    hints: ["github_pat_"],
  },
  {
    id: "gitlab-pat",
    source: "gitleaks gitlab-pat; GitHub secret scanning (GitLab)",
    pattern: /\b(glpat-)[A-Za-z0-9_-]{20,}/g,
    replace: `$1${MASK}`,
    hints: ["glpat-"],
  },
  {
    id: "slack-token",
    source: "gitleaks slack-bot-token, slack-user-token, slack-app-token; detect-secrets SlackDetector",
    pattern: /\b(xox[abposre]-|xapp-)[A-Za-z0-9-]{10,}/g,
    replace: `$1${MASK}`,
    hints: ["xox", "xapp-"],
  },
  {
    id: "slack-webhook-url",
    source: "gitleaks slack-webhook-url; detect-secrets SlackDetector",
    pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9+/_-]{20,}/g,
    replace: `$1${MASK}`,
    hints: ["hooks.slack.com"],
  },
  {
    id: "gcp-api-key",
    source: "gitleaks gcp-api-key; GitHub secret scanning (Google API key)",
    pattern: /\b(AIza)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    replace: `$1${MASK}`,
    hints: ["aiza"],
  },
  {
    id: "stripe-key",
    source: "gitleaks stripe-access-token; detect-secrets StripeDetector; GitHub secret scanning",
    pattern: /\b((?:sk|rk)_(?:live|test|prod)_|whsec_)[A-Za-z0-9]{10,99}\b/g,
    replace: `$1${MASK}`,
    hints: ["sk_", "rk_", "whsec_"],
  },
  {
    id: "openai-anthropic-key",
    source: "gitleaks openai-api-key, anthropic-api-key; GitHub secret scanning",
    pattern: /\b(sk-(?:proj-|svcacct-|admin-|ant-(?:api03-|admin01-)?)?)[A-Za-z0-9_-]{20,}/g,
    replace: `$1${MASK}`,
    hints: ["sk-"],
  },
  {
    id: "npm-token",
    source: "gitleaks npm-access-token; GitHub secret scanning",
    pattern: /\b(npm_)[A-Za-z0-9]{36}\b/g,
    replace: `$1${MASK}`,
    hints: ["npm_"],
  },
  {
    id: "sendgrid-key",
    source: "gitleaks sendgrid-api-token; GitHub secret scanning",
    pattern: /\b(SG\.)[\w-]{22}\.[\w-]{43}\b/g,
    replace: `$1${MASK}`,
    hints: ["sg."],
  },
  {
    id: "jwt",
    source: "gitleaks jwt; detect-secrets JwtTokenDetector",
    pattern: /\b(eyJ)[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replace: `$1${MASK}`,
    hints: ["eyj"],
  },
  {
    id: "url-query-secret",
    source: "gitleaks generic-api-key; Azure SAS sig=, S3 X-Amz-Signature, WeCom/Slack webhook key=",
    pattern:
      /([?&](?:key|sig|signature|x-amz-signature|x-goog-signature|token|access_token|refresh_token|id_token|api_key|apikey|password|client_secret)=)([^&\s#"'<>\\]+)/gi,
    replace: (all, head, value) => (value === MASK ? all : `${head}${MASK}`),
    hints: ["="],
  },
  {
    id: "secret-key-value",
    source: "gitleaks generic-api-key; detect-secrets KeywordDetector (key=value, key: value, JSON)",
    pattern: new RegExp(KEY_VALUE, "g"),
    replace: keyValue,
    hints: ["pass", "pwd", "secret", "token", "key", "cred", "auth", "cookie", "session", "signature"],
  },
  {
    id: "secret-flag-value",
    source: "detect-secrets KeywordDetector (CLI flags); `--db-password value`",
    pattern: new RegExp(String.raw`(^|[\s"'\[,(=])(${FLAG})([ \t]+)(?!-)(${QUOTED}|[^\s"',\]\\]+)`, "gm"),
    replace: flagValue,
    hints: ["pass", "pwd", "secret", "token", "key", "cred", "auth"],
  },
  {
    id: "secret-flag-list-item",
    source: 'detect-secrets KeywordDetector; container args as list items ["--db-password", "value"]',
    pattern: new RegExp(String.raw`((\\*["'])(${FLAG})\2)([ \t]*,[ \t]*)(\\*["'])((?:(?!\5)[^\n])*)\5`, "g"),
    replace: listItem,
    hints: ["pass", "pwd", "secret", "token", "key", "cred", "auth"],
  },
  {
    id: "secret-flag-yaml-item",
    source: "detect-secrets KeywordDetector; container args as YAML list items",
    pattern: new RegExp(
      String.raw`((?:^|\\n)[ \t]*-[ \t]+["']?(${FLAG})["']?[ \t]*(?:\r?\n|\\n)[ \t]*-[ \t]+)(["']?)([^\s"'\\]+)\3`,
      "gm",
    ),
    replace: (all, head, flag, q, value) =>
      isSecretKey(flag!) && !value!.startsWith("-") && !value!.includes(MASK)
        ? `${head}${q}${MASK}${q}`
        : all,
    hints: ["pass", "pwd", "secret", "token", "key", "cred", "auth"],
  },
  {
    id: "mysql-attached-password",
    source: "mysql(1) -pPASSWORD (attached value), after a mysql/mariadb command or an attached -uUSER",
    pattern: /([\s"',[]-p)([^\s\-"',\\][^\s"',\\]*)/g,
    replace: mysqlPassword,
    hints: ["-p"],
  },
  {
    id: "cli-password-flag",
    source: "redis-cli(1) -a PASSWORD; sshpass(1) -p PASSWORD",
    pattern: /(\b(?:redis-cli\b[^\n]*?\s-a|sshpass[ \t]+-p)[ \t]*)([^\s"'\\]+)/g,
    replace: (all, head, value) => (value === MASK ? all : `${head}${MASK}`),
    hints: ["redis-cli", "sshpass"],
  },
  {
    id: "bare-auth-scheme",
    source: "RFC 6750 Bearer / RFC 7617 Basic credentials outside a header name",
    pattern: /\b(bearer|basic|token)([ \t]+)([A-Za-z0-9\-._~+/]{8,}=*)(?![A-Za-z0-9\-._~+/=])/gi,
    replace: bareScheme,
    hints: ["bearer", "basic", "token"],
  },
  {
    id: "cjk-secret-key-value",
    source: "KeywordDetector keywords in Chinese (密码 password, 口令, 令牌 token, 密钥/秘钥 key)",
    pattern: /(密码|口令|令牌|密钥|秘钥)([ \t]*[=:：][ \t]*)([^\s,，;；]+)/g,
    replace: (all, key, sep, value) => (value === MASK ? all : `${key}${sep}${MASK}`),
  },
];
