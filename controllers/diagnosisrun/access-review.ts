/**
 * Live confirmation of RBACForbidden: the engine reads the API server's forbidden message
 * from a log and evaluates the cached Roles and bindings; the operator then asks the API
 * server itself, with a SubjectAccessReview for that ServiceAccount and request, whether it
 * is refused now. The answer becomes evidence; an allowed request lowers the confidence (the
 * log is older than the grant, or the refusal came from elsewhere).
 */
import type { Logger } from "pino";
import type { Forbidden } from "../../agents/diagnosis/rbac.ts";
import { parseForbidden } from "../../agents/diagnosis/rbac.ts";
import type { DiagnosisResult, Finding } from "../../agents/diagnosis/types.ts";
import { statusCode } from "../../kube/kube-api.ts";
import { redactText } from "../../redact/index.ts";

/** What the API server answered (SubjectAccessReview status). */
export interface AccessAnswer {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** Sends one request: the raw client's shape, so a test can stand in at this boundary only. */
export interface ReviewClient {
  request<T>(method: "POST", path: string, opts: { body: unknown }): Promise<T>;
}

const SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
/** How much an allowed answer takes off the engine's confidence. */
export const ALLOWED_CONFIDENCE_FACTOR = 0.5;

/** The ServiceAccount's user name as the API server authenticates it. */
export function userOf(f: Forbidden): string {
  return `system:serviceaccount:${f.namespace}:${f.serviceAccount}`;
}

/** The SubjectAccessReview body asking whether the ServiceAccount may make the refused request. */
export function reviewBody(f: Forbidden): object {
  const attrs: Record<string, string> = { verb: f.verb, group: f.group, resource: f.resource };
  if (f.scope) attrs.namespace = f.scope;
  if (f.subresource) attrs.subresource = f.subresource;
  if (f.resourceName) attrs.name = f.resourceName;
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user: userOf(f),
      // The groups every ServiceAccount token carries: bindings to them grant too.
      groups: ["system:serviceaccounts", `system:serviceaccounts:${f.namespace}`, "system:authenticated"],
      resourceAttributes: attrs,
    },
  };
}

/** Asks the API server whether the ServiceAccount may make the request now. */
export async function reviewAccess(client: ReviewClient, f: Forbidden): Promise<AccessAnswer> {
  const sar = await client.request<{ status?: AccessAnswer }>("POST", SAR_PATH, { body: reviewBody(f) });
  return { allowed: sar.status?.allowed === true, ...sar.status };
}

/** "list secrets in shop" / "get apps/deployments at the cluster scope" */
function request(f: Forbidden): string {
  const res = `${f.group ? `${f.group}/` : ""}${f.resource}${f.subresource ? `/${f.subresource}` : ""}`;
  const name = f.resourceName ? ` "${f.resourceName}"` : "";
  return `${f.verb} ${res}${name} ${f.scope ? `in ${f.scope}` : "at the cluster scope"}`;
}

/** The evidence line of one answer, e.g. "SubjectAccessReview: system:serviceaccount:shop:api cannot list secrets in shop (allowed=false)". */
export function answerLine(f: Forbidden, a: AccessAnswer): string {
  const why = a.reason ? `: ${a.reason}` : "";
  if (a.allowed)
    return `SubjectAccessReview: ${userOf(f)} can ${request(f)} now (allowed=true${why}): the refusal in the log predates the grant or came from elsewhere`;
  return `SubjectAccessReview: ${userOf(f)} cannot ${request(f)} (allowed=false)`;
}

/** The refused request a RBACForbidden finding's log evidence names, if any. */
export function forbiddenOf(finding: Finding): Forbidden | undefined {
  for (const line of finding.evidence) {
    const f = parseForbidden(line);
    if (f) return f;
  }
  return undefined;
}

/**
 * When the root cause is RBACForbidden, confirms it with a SubjectAccessReview and adds the
 * answer to the evidence of the root cause's finding (in place). A review that cannot be made
 * is an evidence gap, never a failure of the run.
 */
export async function confirmRbac(
  client: ReviewClient,
  result: DiagnosisResult,
  logger?: Logger,
): Promise<void> {
  const root = result.rootCause;
  if (root?.category !== "RBACForbidden") return;
  const finding =
    result.findings.find(
      (f) => f.category === "RBACForbidden" && f.resource.name === root.resource.name && !!forbiddenOf(f),
    ) ?? result.findings.find((f) => f.category === "RBACForbidden" && !!forbiddenOf(f));
  const forbidden = finding && forbiddenOf(finding);
  if (!finding || !forbidden) return;
  try {
    const answer = await reviewAccess(client, forbidden);
    finding.evidence.push(redactText(answerLine(forbidden, answer)));
    if (answer.allowed) root.confidence = Math.round(root.confidence * ALLOWED_CONFIDENCE_FACTOR * 100) / 100;
    logger?.info({ user: userOf(forbidden), allowed: answer.allowed }, "Reviewed the refused access");
  } catch (err) {
    const why = statusCode(err) ?? (err instanceof Error ? err.message : String(err));
    result.evidenceGaps = [
      ...(result.evidenceGaps ?? []),
      redactText(`SubjectAccessReview for ${userOf(forbidden)} could not be made (${why})`),
    ];
    logger?.warn({ user: userOf(forbidden), err: String(why) }, "Could not review the refused access");
  }
}
