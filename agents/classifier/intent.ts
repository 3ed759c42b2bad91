/**
 * What a request in Chinese or English asks for: Diagnose, Remediate or HealthCheck, scored
 * from phrase tables. Symptoms ("一直重启", "keeps restarting"), negated or passive verbs
 * ("can't scale", "被驱逐") and advice questions ("怎么修复") count as diagnosis, not as
 * orders to act. Pure.
 */
import type { TaskType } from "./types.ts";

const HEALTHCHECK: RegExp[] = [
  /巡检|巡一下|健康检查|体检|全面检查|例行检查|整体(状态|情况|健康)/,
  /检查(一下|下)?(整个|全部|所有)?(的)?集群|集群(的)?(状态|健康|情况|检查|巡检|有没有问题|是否正常)|看看集群/,
  /所有(的)?(节点|pod|服务|应用)(都)?(正常|健康|好)/,
  /\bhealth[- ]?checks?\b|\bcluster (health|status|check|overview)\b|\bsanity check\b|\baudit\b|\bdaily check\b/,
  /\bcheck (the |my |our )?(whole |entire )?cluster\b|\boverall (status|health)\b/,
  /\bis (the cluster|everything|it all) (ok|okay|fine|healthy|good)\b|\beverything (ok|okay|fine|healthy)\b/,
];

const QUESTIONS: RegExp[] = [
  /为什么|为啥|怎么回事|咋回事|什么原因|啥原因|原因是|是什么问题|怎么了|咋了|出什么问题|出了什么问题|什么情况/,
  /\bwhy\b|\bwhat'?s wrong\b|\bwhat is wrong\b|\bwhat happened\b|\bhow come\b|\broot cause\b|\bcause of\b/,
];

const ADVICE: RegExp[] = [
  /(怎么|如何|怎样|咋)(修复|解决|处理|修|恢复)/,
  /\bhow (do|can|should|would) (i|we|you) (fix|repair|resolve|solve)\b|\bhow to (fix|repair|resolve|solve)\b/,
];

const DIAGNOSE_VERBS: RegExp[] = [
  /诊断|排查|分析|定位|调查|查一下|查查|查下|找(一下)?原因/,
  /\bdiagnos(e|is)\b|\binvestigate\b|\btroubleshoot\b|\bdebug\b|\blook into\b|\bfigure out\b|\bcheck why\b/,
];

/** Words that only ask to look; HealthCheck when nothing specific is named, else Diagnose. */
const LOOK: RegExp[] = [/检查|看看|看一下|看下|瞧瞧/, /\bcheck\b|\blook at\b|\binspect\b|\breview\b/];

// Symptoms whose words are also verbs (重启, restart) are cut out before verbs are read.
const SYMPTOMS: [RegExp, number, boolean][] = [
  [
    /(一直|不停|不断|频繁|反复|老是|总是|持续|多次|经常|又)(地)?(在)?重启|重启(了)?(好多|很多|多|几)次|重启次数/,
    2,
    true,
  ],
  [/\bkeeps? (on )?restarting\b|\brestart(s|ed|ing)\b|\brestart (loop|count)s?\b|\bcrash ?loop/, 2, true],
  [
    /报错|错误|异常|失败|挂了|挂掉|宕机|不可用|访问不了|无法访问|打不开|超时|崩溃|起不来|启动不了|卡住|内存溢出|拉不到镜像|不健康|没有响应|很慢|变慢/,
    1,
    false,
  ],
  [
    /\b(errors?|failing|fails|failed|failure|crash(es|ed|ing)?|down|broken|not working|unavailable|timing out|timeouts?|stuck|unhealthy|not ready|pending|oom(killed)?|evicted|slow|[45]\d\d|[45]xx)\b|\b0\/\d+ ready\b/,
    1,
    false,
  ],
];

const REMEDIATE_VERBS =
  /修复|修一下|修好|解决一下|帮忙解决|处理一下|恢复一下|重启|回滚|扩容|缩容|扩到|缩到|伸缩|驱逐|排空|封锁|解除封锁|删除|删掉|杀掉|干掉|重跑|重新运行|重新执行|暂停|挂起|调大|调高|加内存|增加内存|加资源|\b(fix|repair|remediate|mitigate|restart|rollback|roll back|undo|revert|scale( up| down| out| in)?|drain|cordon|uncordon|evict|delete|kill|rerun|re-run|suspend|reboot|bump|increase)\b/g;

/** What comes right before a verb that orders it: a request word, or the start of a sentence. */
const DIRECT =
  /(^|[,，.。!！?？;；:：]\s*|(帮我|帮忙|请|麻烦|给我|赶紧|马上|立即|立刻|please|pls|can you|could you|go ahead and|kindly|let'?s)\s*(\S{1,4}\s+)?)$/;
/** Words just before a verb that make it a symptom: passive, negated, failed. */
const NOT_AN_ORDER =
  /(被|无法|不能|没法|没能|不会|会不会|自动|can'?t|cannot|unable to|fail(s|ed)? to|won'?t|doesn'?t|didn'?t|not|never|keeps?|auto-?)\s*(\S+\s+)?$/;

/** The scores of one text and the phrases that earned them. */
export interface Intent {
  scores: Record<TaskType, number>;
  /** A remediation verb was ordered outright ("please restart", "回滚 x", ", fix it"). */
  direct: boolean;
  /** Only look-words matched (检查/check): HealthCheck or Diagnose depends on the target. */
  lookOnly: boolean;
  /** A verb that acts on nodes (drain, cordon, 排空...) was used. */
  nodeVerb: boolean;
  /** The phrases that matched, for the rationale. */
  matched: string[];
}

function hits(text: string, res: RegExp[], matched: string[]): number {
  let n = 0;
  for (const re of res) {
    const m = re.exec(text);
    if (m) {
      n++;
      matched.push(m[0].trim());
    }
  }
  return n;
}

function remediation(text: string, questioned: boolean, matched: string[]) {
  let order = 0;
  let symptom = 0;
  let direct = false;
  for (const m of text.matchAll(REMEDIATE_VERBS)) {
    const before = text.slice(0, m.index);
    matched.push(m[0]);
    if (NOT_AN_ORDER.test(before)) symptom++;
    else if (DIRECT.test(before.trimEnd()) || DIRECT.test(before)) {
      direct = true;
      order = 3;
    } else order = Math.max(order, questioned ? 1 : 3);
  }
  return { order, symptom, direct };
}

/** Normalises full-width punctuation and case so one table serves every input. */
export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** Scores what a request asks for. */
export function scoreIntent(raw: string): Intent {
  const text = normalise(raw);
  const matched: string[] = [];
  const health = hits(text, HEALTHCHECK, matched) * 4;
  const questions = hits(text, QUESTIONS, matched) * 3;
  // Advice questions and symptoms are cut out first, so their verbs are not read as orders.
  const advice = hits(text, ADVICE, matched) * 3;
  let rest = text;
  for (const re of ADVICE) rest = rest.replace(re, " ");
  let symptoms = 0;
  for (const [re, w, blank] of SYMPTOMS) {
    const m = re.exec(rest);
    if (!m) continue;
    symptoms += w;
    matched.push(m[0].trim());
    if (blank) rest = rest.replace(re, " ");
  }
  const verbs = hits(rest, DIAGNOSE_VERBS, matched) * 2;
  const look = hits(rest, LOOK, matched);
  const { order, symptom, direct } = remediation(rest, questions + advice > 0, matched);
  const diagnose = questions + advice + verbs + Math.min(3, symptoms + symptom);
  return {
    // Capacity tasks come from the monitoring agent only; no request text asks for one.
    scores: { Diagnose: diagnose + look, Remediate: order, HealthCheck: health, Capacity: 0 },
    direct,
    lookOnly: diagnose === 0 && order === 0 && health === 0 && look > 0,
    nodeVerb: /排空|封锁|解除封锁|驱逐节点|\b(drain|cordon|uncordon)\b/.test(rest),
    matched: [...new Set(matched)],
  };
}

/** The type a request asks for and how sure that is; undefined when nothing matched. */
export function intentType(intent: Intent): { type: TaskType; confidence: number } | undefined {
  const { Diagnose: d, Remediate: r, HealthCheck: h } = intent.scores;
  const top = Math.max(d, r, h);
  if (top === 0) return undefined;
  // An outright order is what the person wants, whatever else they say about the symptoms.
  if (intent.direct) return { type: "Remediate", confidence: 0.85 - (d >= 3 ? 0.15 : d > 0 ? 0.05 : 0) };
  // Ties: an explicit order beats a diagnosis, a health-check phrase beats a generic look.
  const type: TaskType = r === top ? "Remediate" : h === top ? "HealthCheck" : "Diagnose";
  const second = [d, r, h].sort((a, b) => b - a)[1]!;
  let confidence = top >= 4 ? 0.9 : top === 3 ? 0.85 : top === 2 ? 0.75 : 0.6;
  if (second > 0) confidence -= second >= top - 1 ? 0.15 : 0.05;
  return { type, confidence };
}
