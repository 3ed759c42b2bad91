/**
 * The read-only tools the model may call, as OpenAI function definitions (JSON Schema, so
 * no schema library is needed). None of them can change anything: they read the ClusterView.
 */

/** An OpenAI function tool definition, as ChatOpenAI.bindTools accepts it. */
export interface ToolDefinition {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

const str = (description: string, maxLength = 253) => ({ type: "string", description, maxLength });

function def(name: string, description: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: "function" as const,
    function: {
      name,
      description,
      parameters: { type: "object", properties, required, additionalProperties: false },
    },
  };
}

const KIND = str("Kind, e.g. Pod, Deployment, Service, Node.", 63);
const NAMESPACE = str("Namespace; omit for cluster-scoped kinds such as Node.", 63);

/** Tools over cluster objects, events, logs and runbooks. */
export const CLUSTER_TOOLS: ToolDefinition[] = [
  def(
    "get_object",
    "Read one Kubernetes object (spec and status). Secret data is never returned, only key names.",
    { kind: KIND, namespace: NAMESPACE, name: str("Object name.") },
    ["kind", "name"],
  ),
  def(
    "list_objects",
    "List objects of a kind with a one-line status each (at most 100).",
    { kind: KIND, namespace: NAMESPACE },
    ["kind"],
  ),
  def(
    "get_events",
    "Kubernetes events about one object, newest first.",
    { kind: KIND, namespace: NAMESPACE, name: str("Object name.") },
    ["kind", "name"],
  ),
  def(
    "get_logs",
    "The tail of a container log; previous=true reads the last terminated run.",
    {
      namespace: NAMESPACE,
      pod: str("Pod name."),
      container: str("Container name; default the pod's first container.", 63),
      previous: { type: "boolean", description: "Read the previous (crashed) run." },
      tailLines: {
        type: "integer",
        minimum: 1,
        maximum: 200,
        description: "Lines from the end (default 50).",
      },
    },
    ["namespace", "pod"],
  ),
  def(
    "search_runbooks",
    "Runbooks of the cluster matching a root-cause category or words.",
    {
      category: str("A root-cause category, e.g. CrashLoop.", 63),
      query: str("Words to look for in runbook titles and descriptions.", 256),
    },
    [],
  ),
];

/** The PromQL tool, offered only when the view can run queries. */
export const PROMQL_TOOL: ToolDefinition = def(
  "query_prometheus",
  "Run a PromQL instant query; returns at most 30 samples.",
  { promql: str("A PromQL expression.", 4096) },
  ["promql"],
);
