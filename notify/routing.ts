/**
 * Which channels a task's notification goes to. The task's AgentConfig (the one the controllers
 * find: its namespace's, else the operator namespace's `default`) decides when it sets
 * spec.notifications: each configured channel, built by its ChannelProvider with the Secrets it
 * references read at send time; otherwise the operator-wide default channels (the environment);
 * otherwise none. A namespace that configures a channel it cannot use (a Secret missing) gets no
 * notification rather than the default's recipients. Secret values never leave the providers:
 * errors and logs name the AgentConfig, the Secret and the key only.
 */
import type { V1Secret } from "@kubernetes/client-node";
import type { AgentConfig } from "../crds/index.ts";
import { statusCode } from "../kube/kube-api.ts";
import type { KubeClient } from "../kube/kube-api.ts";
import type { Notification, NotificationChannel } from "./channel.ts";
import type { Logger } from "./log.ts";

/** A key of a Secret in a namespace (the shape of crds' SecretKeyRef). */
export interface SecretKey {
  name: string;
  key: string;
}

/** Reads one Secret value (UTF-8, trimmed); undefined when the Secret or the key is missing or empty. */
export type SecretReader = (namespace: string, ref: SecretKey) => Promise<string | undefined>;

/**
 * Reads Secrets through the API server. The operator may read Secrets only where it was granted
 * (its own namespace by default): a 403 becomes a NotificationConfigError saying so.
 */
export function kubeSecretReader(client: KubeClient): SecretReader {
  return async (namespace, ref) => {
    let secret: V1Secret | undefined;
    try {
      secret = await client.getObject<V1Secret>({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: ref.name, namespace },
      });
    } catch (err) {
      if (statusCode(err) !== 403) throw err;
      throw new NotificationConfigError(`the operator may not read Secret ${namespace}/${ref.name}`);
    }
    const value = secret?.data?.[ref.key];
    return value ? Buffer.from(value, "base64").toString("utf8").trim() || undefined : undefined;
  };
}

/** A namespace's notification settings cannot be used (a Secret missing, a value malformed). Names only. */
export class NotificationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotificationConfigError";
  }
}

/** Reads a referenced Secret value, or throws a NotificationConfigError naming the reference. */
export async function requireSecret(
  secrets: SecretReader,
  namespace: string,
  ref: SecretKey,
  field: string,
): Promise<string> {
  const value = await secrets(namespace, ref);
  if (!value)
    throw new NotificationConfigError(`${field}: Secret ${namespace}/${ref.name} has no key ${ref.key}`);
  return value;
}

/** Builds one channel from its section of AgentConfig spec.notifications. */
export interface ChannelProvider {
  /** The section's key under spec.notifications, also the channel's name ("wecom"). */
  readonly name: string;
  /** True when the AgentConfig configures this channel. */
  configured(config: AgentConfig): boolean;
  /** The channel the AgentConfig configures, its Secrets read now (in the AgentConfig's namespace). */
  channelFor(config: AgentConfig, secrets: SecretReader): Promise<NotificationChannel>;
}

/** Where a notification goes, and why. */
export type Route =
  | { source: "AgentConfig"; agentConfig: string; channels: NotificationChannel[] }
  | { source: "default"; channels: NotificationChannel[] }
  | { source: "none"; channels: [] };

/** What the router needs. */
export interface NotificationRouterOptions {
  /** One per channel kind that AgentConfig spec.notifications can configure. */
  providers: readonly ChannelProvider[];
  /** The operator-wide default channels (from the environment); none: no default. */
  defaults?: readonly NotificationChannel[];
  secrets: SecretReader;
  logger: Logger;
}

/** The result of a send. */
export interface SendResult {
  /** True when every channel of the route accepted the notification (false for no channel). */
  sent: boolean;
  /** Undefined when the AgentConfig's settings could not be used. */
  route?: Route;
}

const refOf = (config: AgentConfig) => `${config.metadata.namespace ?? ""}/${config.metadata.name ?? ""}`;

/** Resolves a task's channels from its AgentConfig and sends. */
export class NotificationRouter {
  readonly #options: NotificationRouterOptions;

  constructor(options: NotificationRouterOptions) {
    this.#options = options;
  }

  /**
   * The channels for a task whose AgentConfig is `config` (undefined: it has none). Throws a
   * NotificationConfigError when the AgentConfig configures a channel that cannot be built.
   */
  async route(config: AgentConfig | undefined): Promise<Route> {
    const providers = config ? this.#options.providers.filter((p) => p.configured(config)) : [];
    if (config && providers.length > 0) {
      const channels: NotificationChannel[] = [];
      for (const provider of providers)
        channels.push(await provider.channelFor(config, this.#options.secrets));
      return { source: "AgentConfig", agentConfig: refOf(config), channels };
    }
    const defaults = this.#options.defaults ?? [];
    return defaults.length > 0
      ? { source: "default", channels: [...defaults] }
      : { source: "none", channels: [] };
  }

  /** Sends a notification along its route; best effort, never throws. */
  async send(notification: Notification, config: AgentConfig | undefined): Promise<SendResult> {
    const task = `${notification.task.metadata.namespace ?? ""}/${notification.task.metadata.name ?? ""}`;
    let route: Route;
    try {
      route = await this.route(config);
    } catch (err) {
      // A NotificationConfigError names references only; anything else is reduced to its kind.
      const code = statusCode(err);
      const error =
        err instanceof NotificationConfigError
          ? err.message
          : `${(err as Error).name}${code ? ` (HTTP ${code})` : ""}`;
      this.#options.logger.warn(
        { task, kind: notification.kind, agentConfig: config && refOf(config), error },
        "Skipped a notification: the AgentConfig's notifications cannot be used",
      );
      return { sent: false };
    }
    if (route.channels.length === 0) return { sent: false, route };
    const results = await Promise.all(route.channels.map((channel) => channel.send(notification)));
    return { sent: results.every(Boolean), route };
  }
}
