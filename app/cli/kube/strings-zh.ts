import type { Strings } from "./strings-en.ts";

/** 中文：kubectl 风格命令（approve、reject、tasks、incident）的文字。 */
export const zh: Strings = {
  approved: "已批准",
  rejected: "已拒绝",
  noTasks: (where: string) => `在${where}中没有找到资源。`,
  allNamespaces: "所有命名空间",
  namespace: (ns: string) => `命名空间 ${ns} `,
  alreadyDecided: (plan: string, decision: string, by: string) =>
    `RemediationPlan ${plan} 已由 ${by} ${decision === "Approved" ? "批准" : "拒绝"}；决定不可更改（如需重新决定，请创建新的计划）`,
  decidedByPolicy: (plan: string, phase: string) =>
    `RemediationPlan ${plan} 处于 ${phase}：策略已自动批准，无需再决定`,
  finished: (plan: string, phase: string) => `RemediationPlan ${plan} 处于 ${phase}：已无法再决定`,
  conflict: (plan: string) => `决定期间 RemediationPlan ${plan} 发生了变化；请重新运行命令`,
  storeUnavailable: (why: string) => `警告：无法读取事件库：${why}`,
  task: "任务",
  target: "目标",
  rootCause: "根因",
  noRootCause: "（暂未）找到",
  evidence: "证据",
  recommendations: "建议",
  diagnosis: "诊断",
  plan: "修复计划",
  noPlan: "无",
  decision: "决定",
  decide: "决定方式",
  incident: "事件",
  timeline: "时间线",
  confidence: "置信度",
  steps: "步骤",
};
