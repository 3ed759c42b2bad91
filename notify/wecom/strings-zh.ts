/** Chinese texts of the WeCom channel (see strings.ts). */
import type { Strings } from "./strings.ts";
import type { PlanView, TaskView } from "../views.ts";

const PHASES: Record<string, string> = {
  Pending: "待处理",
  Accepted: "已受理",
  Diagnosing: "诊断中",
  Diagnosed: "已诊断",
  AwaitingApproval: "待审批",
  Remediating: "修复中",
  Succeeded: "已成功",
  Failed: "失败",
  Resolved: "已恢复",
  Rejected: "已拒绝",
  Approved: "已批准",
  Running: "执行中",
  RolledBack: "已回滚",
};
const phase = (p: string): string => PHASES[p] ?? p;
const RISKS: Record<string, string> = { low: "低", medium: "中", high: "高" };

const USAGE = {
  diagnose: "用法：诊断 <命名空间>/<类型>/<名称> [描述]，例如：诊断 shop/deployment/checkout",
  status: "用法：状态 [<命名空间>/<任务名>]",
  approve: "用法：批准 <命名空间>/<方案名>",
  reject: "用法：拒绝 <命名空间>/<方案名> [理由]",
};

function rootCauseLine(task: TaskView): string {
  if (!task.rootCause) return "根因：暂未确定";
  const confidence = task.confidence === undefined ? "" : `（置信度 ${task.confidence}%）`;
  const since = task.change ? `起因：${task.change.object} 于 ${task.change.time} 变更之后开始故障\n` : "";
  return `${since}根因：${task.rootCause}${confidence}`;
}

function taskLines(task: TaskView): string[] {
  const lines = [`> 任务：${task.ref}`, `> 状态：${phase(task.phase)}`];
  if (task.target) lines.push(`> 对象：${task.target}`);
  return lines;
}

function planLines(plan: PlanView): string[] {
  const risk = plan.risk ? `（风险：${RISKS[plan.risk] ?? plan.risk}）` : "";
  return [`方案 ${plan.ref}${risk}：`, ...plan.steps.map((s, i) => `${i + 1}. ${s}`)];
}

export const ZH: Strings = {
  help: [
    "AI SRE 助手用法：",
    "诊断 <命名空间>/<类型>/<名称> [描述]：创建诊断任务，例如 诊断 shop/deployment/checkout",
    "也可以直接描述问题，例如：checkout 服务为什么一直重启",
    "状态 [<命名空间>/<任务名>]：查看任务状态（不带参数列出最近的任务）",
    "批准 <命名空间>/<方案名>：批准修复方案（仅限审批人）",
    "拒绝 <命名空间>/<方案名> [理由]：拒绝修复方案（仅限审批人）",
    "帮助：显示本说明",
  ].join("\n"),
  usage: (command) => USAGE[command],
  unsupportedMessage: "目前只支持文字消息。发送“帮助”查看用法。",
  taskCreated: (ref, followUp) =>
    `已收到，诊断任务 ${ref} 已创建。` + (followUp ? "有结果后会通知你。" : `发送“状态 ${ref}”查看进展。`),
  duplicateMessage: (ref) => (ref ? `这条消息已处理过：任务 ${ref}。` : "这条消息已处理过。"),
  working: (followUp) =>
    followUp ? "已收到，正在处理，结果稍后通过消息发送给你。" : "已收到，正在处理，请稍后发送“状态”查看。",
  unavailable: "集群暂时无法访问，请稍后再试。",
  invalid: (field) => (field ? `请求无效：${field} 不正确。` : "请求无效。"),
  taskNotFound: (ref) => `找不到任务 ${ref}。`,
  taskStatus: (task) => {
    const lines = [`任务 ${task.ref}：${phase(task.phase)}`];
    if (task.target) lines.push(`对象：${task.target}`);
    if (task.rootCause) lines.push(rootCauseLine(task));
    if (task.message) lines.push(`说明：${task.message}`);
    if (task.planRef && task.phase === "AwaitingApproval") {
      lines.push(`方案 ${task.planRef} 待审批，回复“批准 ${task.planRef}”或“拒绝 ${task.planRef}”。`);
    }
    return lines.join("\n");
  },
  taskList: (tasks) =>
    [
      "最近的任务：",
      ...tasks.map((t) => `${t.ref}：${phase(t.phase)}${t.target ? `（${t.target}）` : ""}`),
    ].join("\n"),
  noTasks: "目前没有任务。",
  planNotFound: (ref) => `找不到修复方案 ${ref}。`,
  notApprover: (ref) => `你不是修复方案 ${ref} 的审批人，无法批准或拒绝。`,
  approversUnknown: (ref) => `暂时无法确认修复方案 ${ref} 的审批人，请稍后再试。`,
  planNotAwaiting: (ref, p) => `修复方案 ${ref} 当前状态为“${phase(p)}”，不在待审批状态。`,
  planDecided: (ref, decision) =>
    decision === "Approved" ? `已批准修复方案 ${ref}，将开始执行。` : `已拒绝修复方案 ${ref}。`,
  planConflict: (ref) => `修复方案 ${ref} 已有不同的审批结果，无法更改。`,
  followUpTimedOut: (ref) => `任务 ${ref} 仍在处理中。发送“状态 ${ref}”查看进展。`,
  readNotMapped:
    "你的企业微信账号没有对应的 Kubernetes 身份，无法查询集群信息。" +
    "请管理员在 operator 命名空间 AgentConfig default 的 spec.policy.chatIdentities 中添加你。",
  readDenied: (user, namespace) =>
    `你的 Kubernetes 身份 ${user} 无权查看${namespace ? `命名空间 ${namespace} 的` : "所有命名空间的"}任务。`,
  notify: {
    incidentOpened: (task) =>
      [
        `### <font color="warning">新事件</font>`,
        ...taskLines(task),
        ...(task.description ? [`> 描述：${task.description}`] : []),
      ].join("\n"),
    diagnosed: (task) =>
      [`### <font color="info">诊断完成</font>`, ...taskLines(task), rootCauseLine(task)].join("\n"),
    awaitingApproval: (task, plan) =>
      [
        `### <font color="warning">修复方案待审批</font>`,
        ...taskLines(task),
        rootCauseLine(task),
        ...planLines(plan),
        `回复“批准 ${plan.ref}”或“拒绝 ${plan.ref} [理由]”。`,
      ].join("\n"),
    remediated: (task, plan) =>
      [
        `### <font color="info">${task.phase === "Resolved" ? "已恢复" : "已修复"}</font>`,
        ...taskLines(task),
        rootCauseLine(task),
        ...(plan ? [`方案 ${plan.ref}：${phase(plan.phase)}`] : []),
      ].join("\n"),
    failed: (task) =>
      [
        `### <font color="warning">任务失败</font>`,
        ...taskLines(task),
        ...(task.message ? [`说明：${task.message}`] : []),
      ].join("\n"),
  },
  phase,
};
