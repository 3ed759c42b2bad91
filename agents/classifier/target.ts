/**
 * Which object a request names: "deploy/checkout", "shop/checkout", "checkout.shop.svc",
 * "the checkout service", "checkout 服务", "节点 node-1", "-n shop", "命名空间 shop", and
 * bare names in Chinese text. The most specific object named wins; the diagnosis engine
 * maps pods to workloads later. Pure.
 */
import { CLUSTER_SCOPED, KIND_WORDS, NOT_NAMES, SPECIFICITY, hasCJK } from "./kinds.ts";
import { normalise } from "./intent.ts";
import type { Scored, Target } from "./types.ts";

const NAME = "[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?";
const LABEL = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?";
const DNS_LABEL = new RegExp(`^${LABEL}$`);
const byLength = (a: string, b: string) => b.length - a.length;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ASCII_KINDS = Object.keys(KIND_WORDS)
  .filter((w) => /^[a-z]+$/.test(w))
  .sort(byLength);
const CJK_KINDS = Object.keys(KIND_WORDS)
  .filter((w) => !/^[a-z]+$/.test(w))
  .sort(byLength);
const EN_KIND = `(${ASCII_KINDS.map(escape).join("|")})`;
const ZH_KIND = `(${CJK_KINDS.map(escape).join("|")})`;

interface Candidate {
  kind: string;
  name: string;
  namespace?: string;
  explicit: boolean;
  at: number;
}

const isName = (s: string | undefined): s is string =>
  !!s &&
  s.length >= 2 &&
  s.length <= 253 &&
  !NOT_NAMES.has(s) &&
  !/^\d+[a-z]{0,3}$/.test(s) &&
  !/^v?\d+(\.\d+)+$/.test(s);

const NAMESPACE_PATTERNS: RegExp[] = [
  new RegExp(`(?:^|\\s)(?:-n|--namespace)(?:\\s+|=)(${LABEL})`),
  new RegExp(`(?:命名空间|名称空间|名字空间)\\s*[:：=]?\\s*(${LABEL})(?=\\s|下|中|里|内|的|,|，|。|$)`),
  new RegExp(`(${LABEL})\\s*(?:这个|的)?\\s*(?:命名空间|名称空间|名字空间)`),
  new RegExp(`\\bnamespace\\s*[:=]?\\s*(${LABEL})\\b`),
  new RegExp(`\\b(${LABEL}) namespace\\b`),
  new RegExp(`\\bns\\s*[:=]\\s*(${LABEL})\\b|\\bns (${LABEL})\\b`),
];

/** The namespace a request names, and the text with that phrase blanked out. */
export function findNamespace(text: string): { namespace?: string; rest: string } {
  for (const re of NAMESPACE_PATTERNS) {
    const m = re.exec(text);
    const ns = m?.[1] ?? m?.[2];
    if (m && isName(ns) && DNS_LABEL.test(ns) && ns.length <= 63)
      return {
        namespace: ns,
        rest: text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index + m[0].length),
      };
  }
  return { rest: text };
}

function push(
  out: Candidate[],
  kind: string | undefined,
  name: string | undefined,
  at: number,
  extra: Partial<Candidate> = {},
) {
  if (kind && isName(name) && !KIND_WORDS[name]) out.push({ kind, name, explicit: true, at, ...extra });
}

const RE = {
  slashKind: new RegExp(`(?<![\\w/.:-])${EN_KIND}(?:\\.[a-z0-9.]+)?/(${NAME})`, "g"),
  nsName: new RegExp(`(?<![\\w/.:-])(${LABEL})/(${NAME})(?![\\w/:-])`, "g"),
  svcDns: new RegExp(`\\b(${LABEL})\\.(${LABEL})\\.svc(?:\\.cluster\\.local)?\\b`, "g"),
  enKindName: new RegExp(`\\b${EN_KIND}\\s+(?:named\\s+|called\\s+)?["']?(${NAME})`, "g"),
  enNameKind: new RegExp(`\\b(${NAME})["']?\\s+${EN_KIND}\\b`, "g"),
  zhKindName: new RegExp(`${ZH_KIND}\\s*(?:是|叫|名为|为|[:：])?\\s*["'“「]?(${NAME})`, "g"),
  zhNameKind: new RegExp(`(${NAME})["'”」]?\\s*(?:这个|那个|的)?\\s*${ZH_KIND}`, "g"),
  quoted: new RegExp(`["'“「](${NAME})["'”」]`, "g"),
  token: new RegExp(`(?<![\\w/.:-])(${NAME})(?![\\w/:-])`, "g"),
};

function explicitCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(RE.slashKind)) push(out, KIND_WORDS[m[1]!], m[2], m.index);
  for (const m of text.matchAll(RE.svcDns)) push(out, "Service", m[1], m.index, { namespace: m[2] });
  for (const m of text.matchAll(RE.enKindName)) push(out, KIND_WORDS[m[1]!], m[2], m.index);
  for (const m of text.matchAll(RE.enNameKind)) push(out, KIND_WORDS[m[2]!], m[1], m.index);
  for (const m of text.matchAll(RE.zhKindName)) push(out, KIND_WORDS[m[1]!], m[2], m.index);
  for (const m of text.matchAll(RE.zhNameKind)) push(out, KIND_WORDS[m[2]!], m[1], m.index);
  for (const m of text.matchAll(RE.nsName)) {
    if (KIND_WORDS[m[1]!] || !isName(m[1])) continue;
    const named = out.find((c) => c.name === m[2]);
    if (named) named.namespace ??= m[1];
    else push(out, guessKind(m[2]!), m[2], m.index, { namespace: m[1], explicit: false });
  }
  return out;
}

/** A kind from the shape of a name: pod hashes, EC2 node names; otherwise a Deployment. */
export function guessKind(name: string): string {
  if (/-[a-z0-9]{6,10}-[a-z0-9]{5}$/.test(name)) return "Pod";
  if (/^ip-\d+-\d+-\d+-\d+|\.(compute|ec2)\.internal$|^(node|worker|master|minion)[-.\d]/.test(name))
    return "Node";
  return "Deployment";
}

function bareCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(RE.quoted)) push(out, guessKind(m[1]!), m[1], m.index, { explicit: false });
  const cjk = hasCJK(text);
  for (const m of text.matchAll(RE.token)) {
    const t = m[1]!;
    // In English prose only hyphenated or numbered words look like names; in Chinese any ASCII word does.
    if (cjk || /[-\d]/.test(t)) push(out, guessKind(t), t, m.index, { explicit: false });
  }
  return out;
}

function rank(c: Candidate, nodeVerb: boolean): number {
  return (c.explicit ? 100 : 0) + (nodeVerb && c.kind === "Node" ? 50 : 0) + (SPECIFICITY[c.kind] ?? 2);
}

function confidence(c: Candidate, rivals: number): number {
  const scoped = CLUSTER_SCOPED.has(c.kind) || c.namespace !== undefined;
  const base = c.explicit ? (scoped ? 0.9 : 0.7) : scoped ? 0.7 : 0.55;
  return rivals > 0 ? base - 0.1 : base;
}

/** The object a request names, with a confidence; undefined when it names none. */
export function findTarget(
  raw: string,
  nodeVerb = false,
  defaultNamespace?: string,
): Scored<Target> | undefined {
  const named = findNamespace(normalise(raw));
  const namespace = named.namespace ?? defaultNamespace;
  const rest = named.rest;
  let found = explicitCandidates(rest);
  if (found.length === 0) found = bareCandidates(rest);
  if (found.length === 0) {
    if (!namespace) return undefined;
    return { value: { kind: "Namespace", name: namespace }, confidence: 0.85, why: `namespace ${namespace}` };
  }
  const best = found.sort((a, b) => rank(b, nodeVerb) - rank(a, nodeVerb) || a.at - b.at)[0]!;
  const rivals = found.filter(
    (c) => c.name !== best.name && rank(c, nodeVerb) === rank(best, nodeVerb),
  ).length;
  if (!CLUSTER_SCOPED.has(best.kind)) best.namespace ??= namespace;
  else delete best.namespace;
  const value: Target = { kind: best.kind, name: best.name };
  if (best.namespace) value.namespace = best.namespace;
  const how = best.explicit ? "named" : "guessed from the name";
  return { value, confidence: confidence(best, rivals), why: `${best.kind} ${how}` };
}
