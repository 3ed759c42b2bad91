/**
 * REST authentication and authorization by the API server itself: TokenReview says who the
 * bearer is, SubjectAccessReview whether they may do the verb on the resource, so the REST API
 * obeys the cluster's RBAC. Both answers are cached briefly (keyed by a token hash, never the
 * token), including denials, so a burst of requests costs one review.
 */
import type { AuthenticationV1Api, AuthorizationV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { API_GROUP } from "../../crds/index.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import { TtlCache } from "../tasks/ttl-cache.ts";
import { tokenKey } from "./bearer.ts";

/** An authenticated caller, as TokenReview reported it. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** One access question: may the user <verb> <resource> (in namespace, named name)? */
export interface AccessCheck {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** The two questions a REST request needs answered. */
export interface Authorizer {
  /** Who holds this token; throws 401 when nobody, 503 when the API server is unavailable. */
  authenticate(token: string): Promise<UserInfo>;
  /** Resolves when allowed; throws 403 (with the reason) when not. */
  authorize(user: UserInfo, check: AccessCheck): Promise<void>;
}

/** An Authorizer on TokenReview and SubjectAccessReview. */
export class KubeAuthorizer implements Authorizer {
  private readonly authn: AuthenticationV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly users: TtlCache<UserInfo | undefined>;
  private readonly decisions: TtlCache<{ allowed: boolean; reason?: string }>;
  private readonly cache: boolean;
  private readonly logger: Logger;
  private readonly audiences: string[] | undefined;

  /**
   * `audience`: the audience callers' tokens must be minted for (`kubectl create token SA
   * --audience aisre-sidecar`); a token for another audience, the API server's own included,
   * is refused, so a caller's token cannot be replayed against the API server by the sidecar or
   * the other way round. Unset: the API server's own audiences.
   */
  constructor(
    authn: AuthenticationV1Api,
    authz: AuthorizationV1Api,
    cacheSeconds: number,
    logger: Logger,
    audience?: string,
  ) {
    this.authn = authn;
    this.audiences = audience ? [audience] : undefined;
    this.authz = authz;
    this.cache = cacheSeconds > 0;
    this.users = new TtlCache(cacheSeconds * 1000);
    this.decisions = new TtlCache(cacheSeconds * 1000, 50_000);
    this.logger = logger;
  }

  async authenticate(token: string): Promise<UserInfo> {
    const load = () => this.review(token);
    const user = this.cache ? await this.users.get(tokenKey(token), load) : await load();
    if (!user) throw new HttpError(401, "the bearer token was not accepted by the Kubernetes API server");
    return user;
  }

  async authorize(user: UserInfo, check: AccessCheck): Promise<void> {
    const key = JSON.stringify([user.username, user.uid, user.groups, check]);
    const load = () => this.access(user, check);
    const decision = this.cache ? await this.decisions.get(key, load) : await load();
    if (decision.allowed) return;
    const where = check.namespace ? ` in namespace ${check.namespace}` : " cluster-wide";
    const what = `${check.resource}${check.subresource ? `/${check.subresource}` : ""}`;
    throw new HttpError(
      403,
      `${user.username} may not ${check.verb} ${API_GROUP} ${what}${where}${decision.reason ? `: ${decision.reason}` : ""}`,
    );
  }

  private async review(token: string): Promise<UserInfo | undefined> {
    let review;
    try {
      review = await this.authn.createTokenReview({
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenReview",
          spec: { token, ...(this.audiences ? { audiences: this.audiences } : {}) },
        },
      });
    } catch (err) {
      throw fromKubeError(err, "reviewing the bearer token");
    }
    const u = review.status?.user;
    if (!review.status?.authenticated || !u?.username) return undefined;
    // An authenticator that ignores audiences answers without them: that is no proof either.
    if (this.audiences && !review.status.audiences?.some((a) => this.audiences!.includes(a)))
      return undefined;
    this.logger.debug({ user: u.username }, "Authenticated REST caller");
    return { username: u.username, uid: u.uid, groups: u.groups ?? [], extra: u.extra };
  }

  private async access(user: UserInfo, check: AccessCheck): Promise<{ allowed: boolean; reason?: string }> {
    try {
      const review = await this.authz.createSubjectAccessReview({
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user: user.username,
            uid: user.uid,
            groups: user.groups,
            extra: user.extra,
            resourceAttributes: {
              group: check.group ?? API_GROUP,
              resource: check.resource,
              verb: check.verb,
              namespace: check.namespace,
              name: check.name,
              subresource: check.subresource,
            },
          },
        },
      });
      return { allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
    } catch (err) {
      throw fromKubeError(err, "reviewing access");
    }
  }
}
