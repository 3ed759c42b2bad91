/**
 * Containers that cannot even start: the image cannot be pulled (ErrImagePull,
 * ImagePullBackOff, InvalidImageName) or a referenced ConfigMap/Secret/key is
 * missing (CreateContainerConfigError).
 */
import { showEvent } from "../events.ts";
import type { ContainerStatus } from "../k8s.ts";
import type { Ctx } from "./container-context.ts";
import { containerEvents, path, specOf } from "./container-context.ts";
import type { PodProblem } from "./problem.ts";

/** ImagePull from a waiting reason and the kubelet's pull events. */
export function imageProblem(
  ctx: Ctx,
  cs: ContainerStatus,
  reason: string,
  message: string | undefined,
): PodProblem {
  const image = specOf(ctx, cs.name)?.image ?? cs.image;
  const pullEvents = containerEvents(ctx, cs.name).filter(
    (e) => e.reason === "Failed" || e.reason === "BackOff",
  );
  const evidence = [`${path(ctx, cs.name)}.state.waiting.reason=${reason}`];
  if (message) evidence.push(`${path(ctx, cs.name)}.state.waiting.message=${message.slice(0, 300)}`);
  if (image) evidence.push(`image=${image}`);
  evidence.push(...pullEvents.slice(0, 2).map(showEvent));
  const detail = [message ?? "", ...pullEvents.map((e) => e.message)].join(" ");
  return {
    category: "ImagePull",
    severity: "critical",
    message: `container ${cs.name} cannot pull image ${image ?? "?"} (${reason})`,
    evidence,
    facts: { container: cs.name, image, reason, detail: pullCause(detail) },
    strength: 0.95,
  };
}

/** Why a pull fails, in a few words, from kubelet/registry wording. */
export function pullCause(text: string): string {
  if (/not found|manifest unknown|does not exist|no such manifest/i.test(text))
    return "the image or tag does not exist";
  if (/unauthorized|authentication required|pull access denied|forbidden|401|403/i.test(text)) {
    return "the registry refused the credentials (imagePullSecrets?)";
  }
  if (/no such host|i\/o timeout|connection refused|dial tcp|TLS handshake/i.test(text))
    return "the registry is unreachable";
  if (/InvalidImageName|invalid reference format/i.test(text)) return "the image name is invalid";
  if (/toomanyrequests|rate limit/i.test(text)) return "the registry rate-limits pulls";
  return "the image cannot be pulled";
}

/** MissingConfig from CreateContainerConfigError and its message. */
export function configProblem(
  ctx: Ctx,
  cs: ContainerStatus,
  reason: string,
  message: string | undefined,
): PodProblem {
  const evidence = [`${path(ctx, cs.name)}.state.waiting.reason=${reason}`];
  if (message) evidence.push(`${path(ctx, cs.name)}.state.waiting.message=${message}`);
  const failed = containerEvents(ctx, cs.name).find(
    (e) => e.reason === "Failed" && /not found|couldn't find key/i.test(e.message),
  );
  if (failed) evidence.push(showEvent(failed));
  return {
    category: "MissingConfig",
    severity: "critical",
    message: `container ${cs.name} cannot start: ${message ?? reason}`,
    evidence,
    facts: {
      container: cs.name,
      reason,
      detail: message ?? failed?.message,
      object: missingObject(`${message ?? ""} ${failed?.message ?? ""}`),
    },
    strength: 0.95,
  };
}

/** The missing object named in a kubelet message: `configmap "x"`, `secret "y"`, `key k in ConfigMap ns/x`. */
export function missingObject(text: string): string | undefined {
  const m = /(configmap|secret|serviceaccount)s? "([^"]+)" not found/i.exec(text);
  if (m) return `${m[1]!.toLowerCase()} ${m[2]}`;
  const k = /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)/i.exec(text);
  if (k) return `key ${k[1]} in ${k[2]} ${k[3]}`;
  return undefined;
}
