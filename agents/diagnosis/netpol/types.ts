/** The networking.k8s.io/v1 NetworkPolicy shapes the evaluator reads, and its inputs. */
import type { K8sObject, LabelSelector, Labels } from "../k8s.ts";

/** A container port as the pod spec declares it (protocol defaults to TCP). */
export interface NamedPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** One port entry of a rule: protocol defaults to TCP; a missing port means every port. */
export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

/** ipBlock: a CIDR with optional exceptions inside it. */
export interface IPBlock {
  cidr: string;
  except?: string[];
}

/** One peer of a rule: selectors (either or both) or an ipBlock. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface IngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface EgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy extends K8sObject {
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: IngressRule[];
    egress?: EgressRule[];
  };
}

/** One end of a connection: a pod by namespace and labels, with its IP and container ports when known. */
export interface Endpoint {
  namespace: string;
  name?: string;
  labels?: Labels;
  ip?: string;
  /** The destination pod's container ports: named ports in policies resolve against them. */
  ports?: NamedPort[];
}

/** Namespace name → labels (kubernetes.io/metadata.name is added when absent). */
export type NamespaceLabels = ReadonlyMap<string, Labels> | Record<string, Labels>;

/** The evaluator's answer: allowed, or which direction denies and the policies isolating that side. */
export interface Verdict {
  allowed: boolean;
  /** The side that denies: "egress" (policies on the client) or "ingress" (policies on the server). */
  deniedBy?: "egress" | "ingress";
  /** The policies that isolate the denying side and none of whose rules admits the traffic. */
  policies: NetworkPolicy[];
}
