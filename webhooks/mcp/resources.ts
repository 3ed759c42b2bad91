/**
 * MCP resources: incidents (aisre://incidents/{id}) and runbooks
 * (aisre://runbooks/{namespace}/{name}), read with the same checks as the tools.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { KubeClient, collectionPath, objectPath } from "../../kube/kube-api.ts";
import { RUNBOOK, SRETASK } from "../../crds/resources.ts";
import { listIncidents } from "../../store/index.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import type { McpCaller } from "./context.ts";
import { INCIDENT_TOOLS } from "./tools-incidents.ts";

/** The URI templates resources/templates/list shows. */
export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: "aisre://incidents/{id}",
    name: "incident",
    description: "An incident with its timeline, from the incident history.",
    mimeType: "application/json",
  },
  {
    uriTemplate: "aisre://runbooks/{namespace}/{name}",
    name: "runbook",
    description: "A Runbook custom resource: its steps and suggested catalog actions.",
    mimeType: "application/json",
  },
];

interface Listed {
  uri: string;
  name: string;
  mimeType: string;
}

/** Recent incidents and runbooks the caller may list cluster-wide; none when it may not. */
export async function listResources(caller: McpCaller): Promise<Listed[]> {
  const out: Listed[] = [];
  const may = (resource: string) =>
    caller.authorize({ verb: "list", resource }).then(
      () => true,
      () => false,
    );
  if (caller.store && (await may(SRETASK.plural))) {
    const page = await listIncidents(caller.store, { limit: 20 });
    for (const i of page.items)
      out.push({
        uri: `aisre://incidents/${i.id}`,
        name: `incident ${i.alertname ?? i.category ?? i.id}`,
        mimeType: "application/json",
      });
  }
  if (await may(RUNBOOK.plural)) {
    const list = await KubeClient.fromKubeConfig(caller.kc)
      .request<{ items: KubernetesObject[] }>("GET", collectionPath(RUNBOOK), { query: { limit: 50 } })
      .catch(() => ({ items: [] }));
    for (const rb of list.items) {
      const { namespace = "", name = "" } = rb.metadata ?? {};
      out.push({
        uri: `aisre://runbooks/${namespace}/${name}`,
        name: `runbook ${namespace}/${name}`,
        mimeType: "application/json",
      });
    }
  }
  return out;
}

const RUNBOOK_URI = /^aisre:\/\/runbooks\/([a-z0-9-]{1,63})\/([a-z0-9.-]{1,253})$/;
const INCIDENT_URI = /^aisre:\/\/incidents\/([0-9a-fA-F-]{36})$/;

/** The text of one resource; 404 for an unknown URI. */
export async function readResource(caller: McpCaller, uri: string): Promise<string> {
  const incident = INCIDENT_URI.exec(uri);
  if (incident) return (await INCIDENT_TOOLS.get_incident!(caller, { id: incident[1] }))[0]!;
  const runbook = RUNBOOK_URI.exec(uri);
  if (!runbook) throw new HttpError(404, `no resource ${uri.slice(0, 200)}`, "uri");
  const [, namespace, name] = runbook as unknown as [string, string, string];
  await caller.authorize({ verb: "get", resource: RUNBOOK.plural, namespace, name });
  try {
    const rb = await KubeClient.fromKubeConfig(caller.kc).request<KubernetesObject>(
      "GET",
      objectPath(RUNBOOK, namespace, name),
    );
    return JSON.stringify({ metadata: { namespace, name }, spec: (rb as { spec?: unknown }).spec }, null, 1);
  } catch (err) {
    throw fromKubeError(err, `reading Runbook ${namespace}/${name}`);
  }
}
