/**
 * What a WeCom user may read. A chat message carries no Kubernetes credentials, so the user's
 * reads (诊断/diagnose, 状态/status) are decided for the Kubernetes identity cluster policy maps
 * them to, by SubjectAccessReview, exactly as a REST caller's would be. An unmapped WeCom user
 * has no Kubernetes identity and may read nothing.
 *
 * The mapping itself is read through ChatIdentities (identityFor), so this file does not depend
 * on where it is kept (AgentConfig spec.policy.chatIdentities of the operator namespace's
 * `default`, see kubeChatIdentities).
 */
import { SRETASK } from "../../crds/resources.ts";
import type { KubeClient } from "../../kube/kube-api.ts";
import type { Strings } from "../../notify/wecom/strings.ts";
import type { AccessCheck, Authorizer } from "../auth/kube-auth.ts";
import { chatIdentityOf } from "../chat-identities.ts";
import { HttpError } from "../errors.ts";

/** The Kubernetes identity a WeCom user acts as. */
export interface MappedIdentity {
  user: string;
  groups: string[];
}

/** Where the WeCom → Kubernetes identity mapping comes from. */
export interface ChatIdentities {
  /** The identity of a WeCom user id; undefined when nobody is mapped. Throws when it cannot be read. */
  identityFor(wecomUserId: string): Promise<MappedIdentity | undefined>;
}

/** The mapping of cluster policy: spec.policy.chatIdentities of AgentConfig `default` in operatorNamespace. */
export function kubeChatIdentities(client: KubeClient, operatorNamespace: string): ChatIdentities {
  return {
    async identityFor(wecomUserId) {
      const found = await chatIdentityOf(client, operatorNamespace, wecomUserId);
      return found && { user: found.kubernetesUser, groups: found.groups ?? [] };
    },
  };
}

/** A fixed mapping (tests; a deployment that maps nobody passes {}). */
export function staticChatIdentities(map: Record<string, MappedIdentity>): ChatIdentities {
  return { identityFor: (id) => Promise.resolve(Object.hasOwn(map, id) ? map[id] : undefined) };
}

/** Why a read was refused. */
export type ReadRefusal = { reason: "unmapped" } | { reason: "denied"; user: string; message: string };

/** Decides a WeCom user's reads. */
export interface ChatReads {
  /** Undefined when the user may do every check; otherwise why not. Throws when it cannot tell. */
  refusal(wecomUserId: string, checks: readonly AccessCheck[]): Promise<ReadRefusal | undefined>;
}

/** Reads decided by SubjectAccessReview (authorizer) of the identity the user is mapped to. */
export function chatReads(identities: ChatIdentities, authorizer: Authorizer): ChatReads {
  return {
    async refusal(wecomUserId, checks) {
      const identity = await identities.identityFor(wecomUserId);
      if (!identity) return { reason: "unmapped" };
      const user = { username: identity.user, groups: identity.groups };
      try {
        for (const check of checks) await authorizer.authorize(user, check);
        return undefined;
      } catch (err) {
        if (err instanceof HttpError && err.statusCode === 403)
          return { reason: "denied", user: identity.user, message: err.message };
        throw err;
      }
    },
  };
}

/** Reading one SreTask: get. */
export const readTask = (namespace: string): AccessCheck[] => [
  { verb: "get", resource: SRETASK.plural, namespace },
];

/** Listing SreTasks of a namespace, or of every namespace. */
export const listTasks = (namespace?: string): AccessCheck[] => [
  { verb: "list", resource: SRETASK.plural, ...(namespace ? { namespace } : {}) },
];

/** Asking for a diagnosis: creating the SreTask in its namespace and reading its result. */
export const diagnoseIn = (namespace: string): AccessCheck[] => [
  { verb: "create", resource: SRETASK.plural, namespace },
  { verb: "get", resource: SRETASK.plural, namespace },
];

/** The reply to a refused read, in the user's language. */
export function refusalReply(text: Strings, refusal: ReadRefusal, namespace: string | undefined): string {
  return refusal.reason === "unmapped" ? text.readNotMapped : text.readDenied(refusal.user, namespace);
}
