/** 钉钉、飞书和 Slack 渠道的中文文本（见 strings.ts）。 */
import type { ChatStrings } from "./strings.ts";
import { decideCommands } from "./strings.ts";

const PHASES: Record<string, string> = {
  Pending: "等待中",
  Classifying: "分类中",
  Diagnosing: "诊断中",
  Diagnosed: "已诊断",
  AwaitingApproval: "待审批",
  Approved: "已批准",
  Rejected: "已拒绝",
  Executing: "执行中",
  Remediating: "修复中",
  Remediated: "已修复",
  Resolved: "已恢复",
  Succeeded: "已成功",
  Failed: "失败",
  RolledBack: "已回滚",
};
const phase = (p: string): string => PHASES[p] ?? p;

export const ZH: ChatStrings = {
  title: {
    IncidentOpened: "新事件",
    Diagnosed: "诊断完成",
    AwaitingApproval: "修复方案待审批",
    Remediated: "已修复",
    Resolved: "已恢复",
    Failed: "任务失败",
  },
  task: (ref) => `任务：${ref}`,
  phase: (p) => `阶段：${phase(p)}`,
  target: (t) => `对象：${t}`,
  description: (d) => `描述：${d}`,
  rootCause: (task) =>
    task.rootCause
      ? `${task.change ? `起因：${task.change.object} 于 ${task.change.time} 变更之后开始故障\n` : ""}根因：${task.rootCause}${task.confidence === undefined ? "" : `（置信度 ${task.confidence}%）`}`
      : "根因：尚未确定",
  note: (n) => `说明：${n}`,
  plan: (plan) =>
    [
      `方案 ${plan.ref}${plan.risk ? `（风险：${plan.risk}）` : ""}：`,
      ...plan.steps.map((s, i) => `${i + 1}. ${s}`),
    ].join("\n"),
  planPhase: (plan) => `方案 ${plan.ref}：${phase(plan.phase)}`,
  decide: (plan) => {
    const c = decideCommands(plan.ref);
    return `批准：${c.approve}\n拒绝：${c.reject}`;
  },
};
