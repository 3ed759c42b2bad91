/**
 * MCP prompts: troubleshoot a workload, review a pending plan. They tell the client's model
 * which of our tools to use and in what order; objects they quote are fenced as data.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { fence } from "../../agents/diagnosis/llm/fence.ts";
import { KubeClient, objectPath } from "../../kube/kube-api.ts";
import { REMEDIATIONPLAN } from "../../crds/resources.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import type { McpCaller } from "./context.ts";

/** The prompts prompts/list shows. */
export const PROMPTS = [
  {
    name: "troubleshoot_workload",
    description:
      "Troubleshoot a workload: diagnose, compare with past incidents, find runbooks, check metrics.",
    arguments: [
      { name: "namespace", description: "Namespace of the workload.", required: true },
      {
        name: "workload",
        description: "The workload as Kind/name, e.g. Deployment/checkout.",
        required: true,
      },
    ],
  },
  {
    name: "review_plan",
    description:
      "Review a RemediationPlan that awaits approval: is each step justified, safe and in the catalog?",
    arguments: [
      { name: "namespace", description: "Namespace of the plan.", required: true },
      { name: "name", description: "Name of the RemediationPlan.", required: true },
    ],
  },
];

type Message = { role: "user"; content: { type: "text"; text: string } };
const user = (text: string): Message => ({ role: "user", content: { type: "text", text } });

function required(args: Record<string, string> | undefined, key: string, pattern: RegExp): string {
  const v = args?.[key];
  if (!v || !pattern.test(v))
    throw new HttpError(400, `${key} is required and must match ${pattern.source}`, key);
  return v;
}

const NS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The messages of one prompt; 404 for an unknown prompt. */
export async function getPrompt(
  caller: McpCaller,
  name: string,
  args: Record<string, string> | undefined,
): Promise<{ description: string; messages: Message[] }> {
  if (name === "troubleshoot_workload") {
    const namespace = required(args, "namespace", NS);
    const workload = required(args, "workload", /^[A-Za-z]+\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    return {
      description: `Troubleshoot ${workload} in ${namespace}`,
      messages: [
        user(
          [
            `Troubleshoot ${workload} in namespace ${namespace}.`,
            `1. Call diagnose with {"namespace":"${namespace}","target":"${workload}"} and read the root cause and evidence.`,
            "2. Call list_incidents for the namespace and similar_incidents on the matching incident, if any: has this happened before, and what fixed it?",
            "3. Call search_runbooks with the root-cause category.",
            `4. If metrics would confirm it, call query_prometheus with selectors held to namespace="${namespace}".`,
            "Answer with the root cause, the evidence, and the next step. If a catalog action would fix it, you may call propose_plan; a person approves it, nothing runs before that.",
          ].join("\n"),
        ),
      ],
    };
  }
  if (name === "review_plan") {
    const namespace = required(args, "namespace", NS);
    const plan = required(args, "name", /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    await caller.authorize({ verb: "get", resource: REMEDIATIONPLAN.plural, namespace, name: plan });
    let obj: KubernetesObject;
    try {
      obj = await KubeClient.fromKubeConfig(caller.kc).request(
        "GET",
        objectPath(REMEDIATIONPLAN, namespace, plan),
      );
    } catch (err) {
      throw fromKubeError(err, `reading RemediationPlan ${namespace}/${plan}`);
    }
    const { spec, status } = obj as { spec?: unknown; status?: unknown };
    return {
      description: `Review RemediationPlan ${namespace}/${plan}`,
      messages: [
        user(
          [
            `Review RemediationPlan ${namespace}/${plan} before a person approves it.`,
            "For each step: is the action justified by the diagnosis (call get_task or diagnose), is the target right, what is the blast radius, and what would undo it?",
            "Say approve, reject or ask for changes, and why. Do not approve it yourself: approval is a person's decision.",
            fence(`RemediationPlan ${namespace}/${plan}`, JSON.stringify({ spec, status }, null, 1)),
          ].join("\n"),
        ),
      ],
    };
  }
  throw new HttpError(404, `no prompt ${name.slice(0, 64)}`, "name");
}
