// The evaluator against the truth tables of the Kubernetes NetworkPolicy conformance tests:
// kubernetes/kubernetes test/e2e/network/netpol/network_policy.go. Each case is one
// ValidateOrFail step of the named e2e test (same pods, policies, port, protocol and expected
// Reachability), checked on every non-loopback pair of its pods.
import { describe, expect, it } from "vitest";
import { allowed, inIPBlock, policyTypes } from "./evaluate.ts";
import { modelPod, policy, Reachability } from "./truthtable.ts";
import type { NetworkPolicy } from "./types.ts";

interface Case {
  test: string;
  step?: string;
  pods: string[];
  policies: NetworkPolicy[];
  port: number;
  protocol?: string;
  reach: (r: Reachability) => Reachability;
  namespaces?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
}

const NS = "kubernetes.io/metadata.name";
const all = {};
const podA = { matchLabels: { pod: "a" } };
const podB = { matchLabels: { pod: "b" } };
const nsY = { matchLabels: { [NS]: "y" } };
const notX = { matchExpressions: [{ key: NS, operator: "NotIn", values: ["x"] }] };
const denyIngress = (name: string, ns = "x", sel = all) => policy(name, ns, sel, { ingress: [] });
const port81FromY = (name: string, p = 81, protocol = "TCP") =>
  policy(name, "x", podA, {
    ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: p, protocol }] }],
  });
const egressNamed80 = policy("allow-egress", "x", all, { egress: [{ ports: [{ port: "serve-80-tcp" }] }] });
const ingressEgress = {
  ...policy("allow-client-a-via-pod-selector", "x", podA, {
    ingress: [{ from: [{ podSelector: podB }] }],
    egress: [{ ports: [{ port: 80 }] }],
  }),
};
const clientSide = [
  policy("allow-to-ns-y-pod-a", "x", podA, {
    egress: [{ to: [{ namespaceSelector: nsY, podSelector: podA }] }],
  }),
  policy("allow-from-xa-on-ya-match-selector", "y", podA, {
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: "x" } }, podSelector: podA }] }],
  }),
  policy("allow-from-xa-on-yb-match-selector", "y", podB, {
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: "x" } }, podSelector: podA }] }],
  }),
];
const exceptB = policy("allow-client-a-via-cidr-egress-rule", "x", podA, {
  egress: [{ to: [{ ipBlock: { cidr: "10.1.0.0/16", except: ["10.1.0.2/32"] } }] }],
});
const onlyB = policy("allow-client-a-via-cidr-egress-rule", "x", podA, {
  egress: [{ to: [{ ipBlock: { cidr: "10.1.0.2/32" } }] }],
});
const allowOnly80 = policy("allow-ingress-port-80", "x", all, { ingress: [{ ports: [{ port: 80 }] }] });
const egressOnly80 = policy("allow-egress-port-80", "x", all, { egress: [{ ports: [{ port: 80 }] }] });
const denyAll = policy("deny-all", "x", all, { ingress: [], egress: [] });
const podAndNs = (name: string, ns: object, pod: object) =>
  policy(name, "x", podA, { ingress: [{ from: [{ namespaceSelector: ns, podSelector: pod }] }] });
const fromYPodA = podAndNs("allow-ns-y-pod-a-via-namespace-pod-selector", nsY, podA);
const xyzab = ["x/a", "x/b", "y/a", "y/b", "z/b"];

const CASES: Case[] = [
  {
    test: "should support a 'default-deny-ingress' policy",
    pods: ["x/a", "x/b", "y/a", "y/b"],
    policies: [denyIngress("deny-ingress")],
    port: 80,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should support a 'default-deny-all' policy",
    pods: ["x/a", "x/b", "y/a"],
    policies: [denyAll],
    port: 80,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false).expectPeer({ ns: "x" }, {}, false),
  },
  {
    test: "should enforce policy to allow traffic from pods within server namespace based on PodSelector",
    pods: ["x/a", "x/b", "x/c", "y/a"],
    policies: [policy("x-a-allows-x-b", "x", podA, { ingress: [{ from: [{ podSelector: podB }] }] })],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true),
  },
  {
    test: "should enforce policy to allow ingress traffic for a target",
    pods: ["x/a", "x/b", "y/a"],
    policies: [
      denyIngress("deny-all"),
      policy("allow-all-to-a", "x", podA, {
        ingress: [{ from: [{ podSelector: all, namespaceSelector: all }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", true).expectAllIngress("x/b", false),
  },
  {
    test: "should enforce policy to allow ingress traffic from pods in all namespaces",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-from-another-ns", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-client-a-via-ns-selector", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: nsY }] }],
      }),
    ],
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce policy based on PodSelector with MatchExpressions",
    pods: ["x/a", "x/b", "y/a"],
    policies: [
      policy("x-a-allows-x-b", "x", podA, {
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: "pod", operator: "In", values: ["b"] }] } }] },
        ],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true),
  },
  {
    test: "should enforce policy based on NamespaceSelector with MatchExpressions",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-ns-y-match-selector", "x", podA, {
        ingress: [
          {
            from: [{ namespaceSelector: { matchExpressions: [{ key: NS, operator: "In", values: ["y"] }] } }],
          },
        ],
      }),
    ],
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce policy based on PodSelector or NamespaceSelector",
    pods: ["x/a", "x/b", "x/c", "y/a"],
    policies: [
      policy("allow-ns-y-match-selector", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: notX }, { podSelector: podB }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expect("x/a", "x/a", false).expect("x/c", "x/a", false),
  },
  {
    test: "should enforce policy based on PodSelector and NamespaceSelector",
    pods: xyzab,
    policies: [podAndNs("allow-ns-y-podselector-and-nsselector", notX, podB)],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("y/b", "x/a", true).expect("z/b", "x/a", true),
  },
  {
    test: "should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
    pods: ["x/a", "x/b", "y/a", "y/b", "y/c"],
    policies: [
      podAndNs("allow-ns-y-z-pod-b-c", notX, {
        matchExpressions: [{ key: "pod", operator: "In", values: ["b", "c"] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false).expect("y/a", "x/a", false),
  },
  {
    test: "should enforce policy based on any PodSelectors",
    pods: ["x/a", "x/b", "x/c"],
    policies: [
      policy("allow-ns-x-pod-b-c", "x", podA, {
        ingress: [{ from: [{ podSelector: podB }, { podSelector: { matchLabels: { pod: "c" } } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true).expect("x/c", "x/a", true),
  },
  {
    test: "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
    pods: ["x/a", "x/b", "y/a", "y/b", "z/a"],
    policies: [fromYPodA],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true),
  },
  {
    test: "should enforce policy based on Ports",
    pods: ["x/a", "x/b", "y/a", "y/b", "z/a"],
    policies: [port81FromY("allow-client-a-via-ns-selector")],
    port: 81,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "y" }, { ns: "x", pod: "a" }, true)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce multiple, stacked policies with overlapping podSelectors",
    step: "port 81",
    pods: ["x/a", "x/b", "y/a", "y/b", "z/a"],
    policies: [port81FromY("allow-client-a-via-ns-selector")],
    port: 81,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce multiple, stacked policies with overlapping podSelectors",
    step: "port 80 denied",
    pods: ["x/a", "x/b", "y/a", "y/b", "z/a"],
    policies: [port81FromY("allow-client-a-via-ns-selector")],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should enforce multiple, stacked policies with overlapping podSelectors",
    step: "port 80 unblocked by a second policy",
    pods: ["x/a", "x/b", "y/a", "y/b", "z/a"],
    policies: [
      port81FromY("allow-client-a-via-ns-selector"),
      port81FromY("allow-client-a-via-ns-selector-80", 80),
    ],
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should support allow-all policy",
    step: "port 80",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("allow-all", "x", all, { ingress: [{}] })],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should support allow-all policy",
    step: "port 81",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("allow-all", "x", all, { ingress: [{}] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "should allow ingress access on one named port",
    step: "port 81",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("allow-all", "x", all, { ingress: [{ ports: [{ port: "serve-81-tcp" }] }] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "should allow ingress access on one named port",
    step: "port 80",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("allow-all", "x", all, { ingress: [{ ports: [{ port: "serve-81-tcp" }] }] })],
    port: 80,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should allow ingress access from namespace on one named port",
    step: "port 80",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-client-a-via-ns-selector-80", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: "serve-80-tcp", protocol: "TCP" }] }],
      }),
    ],
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should allow ingress access from namespace on one named port",
    step: "port 81",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-client-a-via-ns-selector-80", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: nsY }], ports: [{ port: "serve-80-tcp", protocol: "TCP" }] }],
      }),
    ],
    port: 81,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should allow egress access on one named port",
    step: "port 80",
    pods: ["x/a", "y/a"],
    policies: [egressNamed80],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should allow egress access on one named port",
    step: "port 81",
    pods: ["x/a", "y/a"],
    policies: [egressNamed80],
    port: 81,
    reach: (r) => r.expectPeer({ ns: "x" }, {}, false),
  },
  {
    test: "should enforce updated policy",
    step: "allow all",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-all-mutate-to-deny-all", "x", all, { ingress: [{}] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "should enforce updated policy",
    step: "updated to deny all",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-all-mutate-to-deny-all", "x", all, { ingress: [] })],
    port: 81,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should allow ingress access from updated namespace",
    step: "before the label",
    pods: ["x/a", "y/a"],
    policies: [
      policy("allow-client-a-via-ns-selector", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: "updated" } } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should allow ingress access from updated namespace",
    step: "after the label",
    namespaces: { y: { ns2: "updated" } },
    pods: ["x/a", "y/a"],
    policies: [
      policy("allow-client-a-via-ns-selector", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: "updated" } } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expectPeer({ ns: "y" }, {}, true),
  },
  {
    test: "should allow ingress access from updated pod",
    step: "before the label",
    pods: ["x/a", "x/b"],
    policies: [
      policy("allow-client-a-via-pod-selector", "x", podA, {
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b", pod2: "updated" } } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should allow ingress access from updated pod",
    step: "after the label",
    podLabels: { "x/b": { pod: "b", pod2: "updated" } },
    pods: ["x/a", "x/b"],
    policies: [
      policy("allow-client-a-via-pod-selector", "x", podA, {
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b", pod2: "updated" } } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true),
  },
  {
    test: "should deny ingress from pods on other namespaces",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("deny-empty-policy", "x", all, { ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] }),
    ],
    port: 80,
    reach: (r) => r.expectPeer({ ns: "y" }, { ns: "x" }, false).expectPeer({ ns: "z" }, { ns: "x" }, false),
  },
  {
    test: "should deny ingress access to updated pod",
    step: "before the label",
    pods: ["x/a", "y/a"],
    policies: [denyIngress("deny-ingress-via-label-selector", "x", { matchLabels: { target: "isolated" } })],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should deny ingress access to updated pod",
    step: "after the label",
    podLabels: { "x/a": { pod: "a", target: "isolated" } },
    pods: ["x/a", "y/a"],
    policies: [denyIngress("deny-ingress-via-label-selector", "x", { matchLabels: { target: "isolated" } })],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should deny egress from pods based on PodSelector",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("deny-egress-pod-a", "x", podA, { egress: [] })],
    port: 80,
    reach: (r) => r.expectAllEgress("x/a", false),
  },
  {
    test: "should deny egress from all pods in a namespace",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("deny-egress-ns-x", "x", all, { egress: [] })],
    port: 80,
    reach: (r) => r.expectPeer({ ns: "x" }, {}, false),
  },
  {
    test: "should work with Ingress, Egress specified together",
    step: "port 80",
    pods: ["x/a", "x/b", "x/c", "y/a"],
    policies: [ingressEgress],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true),
  },
  {
    test: "should work with Ingress, Egress specified together",
    step: "port 81",
    pods: ["x/a", "x/b", "x/c", "y/a"],
    policies: [ingressEgress],
    port: 81,
    reach: (r) => r.expectAllIngress("x/a", false).expectAllEgress("x/a", false).expect("x/b", "x/a", true),
  },
  {
    test: "should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
    pods: ["x/a", "y/a", "y/b"],
    policies: clientSide,
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x", pod: "a" }, {}, false)
        .expectPeer({}, { ns: "y", pod: "a" }, false)
        .expectPeer({ ns: "x", pod: "a" }, { ns: "y", pod: "a" }, true)
        .expectPeer({}, { ns: "y", pod: "b" }, false),
  },
  {
    test: "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
    pods: ["x/a", "y/a", "y/b"],
    policies: [clientSide[0]!],
    port: 80,
    reach: (r) => r.expectAllEgress("x/a", false).expect("x/a", "y/a", true),
  },
  {
    test: "should enforce ingress policy allowing any port traffic to a server on a specific protocol",
    step: "TCP",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-ingress-by-proto", "x", podA, { ingress: [{ ports: [{ protocol: "TCP" }] }] })],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should enforce ingress policy allowing any port traffic to a server on a specific protocol",
    step: "UDP",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-ingress-by-proto", "x", podA, { ingress: [{ ports: [{ protocol: "TCP" }] }] })],
    port: 80,
    protocol: "UDP",
    reach: (r) => r.expectPeer({}, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce multiple ingress policies with ingress allow-all policy taking precedence",
    step: "port 80 only",
    pods: ["x/a", "y/a"],
    policies: [allowOnly80],
    port: 81,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should enforce multiple ingress policies with ingress allow-all policy taking precedence",
    step: "with allow-all",
    pods: ["x/a", "y/a"],
    policies: [allowOnly80, policy("allow-ingress", "x", all, { ingress: [{}] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "should enforce multiple egress policies with egress allow-all policy taking precedence",
    step: "port 80 only",
    pods: ["x/a", "y/a"],
    policies: [egressOnly80],
    port: 81,
    reach: (r) => r.expectPeer({ ns: "x" }, {}, false),
  },
  {
    test: "should enforce multiple egress policies with egress allow-all policy taking precedence",
    step: "with allow-all",
    pods: ["x/a", "y/a"],
    policies: [egressOnly80, policy("allow-egress", "x", all, { egress: [{}] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "should stop enforcing policies after they are deleted",
    step: "deny-all present",
    pods: ["x/a", "y/a"],
    policies: [denyAll],
    port: 80,
    reach: (r) => r.expectPeer({ ns: "x" }, {}, false).expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should stop enforcing policies after they are deleted",
    step: "deleted",
    pods: ["x/a", "y/a"],
    policies: [],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should allow egress access to server in CIDR block",
    pods: ["x/a", "y/a", "y/b"],
    policies: [
      policy("allow-client-a-via-cidr-egress-rule", "x", podA, {
        egress: [{ to: [{ ipBlock: { cidr: "10.2.0.2/32" } }] }],
      }),
    ],
    port: 80,
    reach: (r) => r.expectAllEgress("x/a", false).expect("x/a", "y/b", true),
  },
  {
    test: "should enforce except clause while egress access to server in CIDR block",
    pods: ["x/a", "x/b", "x/c"],
    policies: [exceptB],
    port: 80,
    reach: (r) => r.expect("x/a", "x/b", false),
  },
  {
    test: "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
    step: "except only",
    pods: ["x/a", "x/b", "x/c"],
    policies: [exceptB],
    port: 80,
    reach: (r) => r.expect("x/a", "x/b", false),
  },
  {
    test: "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
    step: "updated to allow x/b",
    pods: ["x/a", "x/b", "x/c"],
    policies: [onlyB],
    port: 80,
    reach: (r) => r.expectAllEgress("x/a", false).expect("x/a", "x/b", true),
  },
  {
    test: "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector",
    step: "egress allowed",
    pods: ["x/a", "x/b", "y/a"],
    policies: [policy("allow-egress-for-target", "x", podA, { egress: [{}] })],
    port: 80,
    reach: (r) => r,
  },
  {
    test: "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector",
    step: "ingress denied",
    pods: ["x/a", "x/b", "y/a"],
    policies: [
      policy("allow-egress-for-target", "x", podA, { egress: [{}] }),
      denyIngress("deny-ingress-via-label-selector", "x", podA),
    ],
    port: 80,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ["x/a", "y/a"],
    policies: [
      denyIngress("deny-ingress"),
      policy("allow-only-sctp-ingress-on-port-81", "x", podA, {
        ingress: [{ ports: [{ port: 81, protocol: "SCTP" }] }],
      }),
    ],
    port: 81,
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    pods: ["x/a", "y/a"],
    policies: [
      policy("allow-only-sctp-ingress-on-port-80", "x", podA, {
        ingress: [{ ports: [{ port: 80, protocol: "SCTP" }] }],
      }),
    ],
    port: 81,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should not allow access by TCP when a policy specifies only UDP",
    pods: ["x/a", "y/a"],
    policies: [
      policy("allow-only-udp-ingress-on-port-81", "x", podA, {
        ingress: [{ ports: [{ port: 81, protocol: "UDP" }] }],
      }),
    ],
    port: 81,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
  {
    test: "should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-client-a-via-ns-selector-for-immutable-ns-label", "x", podA, {
        ingress: [{ from: [{ namespaceSelector: nsY }] }],
      }),
    ],
    port: 80,
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "should enforce policy based on NamespaceSelector with MatchExpressions using default ns label",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [
      policy("allow-ns-y-match-selector-for-immutable-ns-label", "x", podA, {
        egress: [
          {
            to: [
              { namespaceSelector: { matchExpressions: [{ key: NS, operator: "NotIn", values: ["y"] }] } },
            ],
          },
        ],
      }),
    ],
    port: 80,
    reach: (r) => r.expectPeer({ ns: "x", pod: "a" }, { ns: "y" }, false),
  },
  {
    test: "UDP: should support a 'default-deny-ingress' policy",
    pods: ["x/a", "x/b", "y/a", "y/b"],
    policies: [denyIngress("deny-all")],
    port: 80,
    protocol: "UDP",
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "UDP: should enforce policy based on Ports",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [port81FromY("allow-ingress-on-port-81-ns-x", 81, "UDP")],
    port: 81,
    protocol: "UDP",
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "UDP: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
    pods: ["x/a", "x/b", "y/a"],
    policies: [fromYPodA],
    port: 80,
    protocol: "UDP",
    reach: (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true),
  },
  {
    test: "SCTP: should support a 'default-deny-ingress' policy",
    pods: ["x/a", "x/b", "y/a", "y/b"],
    policies: [denyIngress("deny-all")],
    port: 80,
    protocol: "SCTP",
    reach: (r) => r.expectPeer({}, { ns: "x" }, false),
  },
  {
    test: "SCTP: should enforce policy based on Ports",
    pods: ["x/a", "x/b", "y/a", "z/a"],
    policies: [port81FromY("allow-ingress-on-port-81-ns-x", 81, "SCTP")],
    port: 81,
    protocol: "SCTP",
    reach: (r) =>
      r
        .expectPeer({ ns: "x" }, { ns: "x", pod: "a" }, false)
        .expectPeer({ ns: "z" }, { ns: "x", pod: "a" }, false),
  },
  {
    test: "SCTP: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
    pods: ["x/a", "x/b", "y/a"],
    policies: [fromYPodA],
    port: 80,
    protocol: "SCTP",
    reach: (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true),
  },
  // Not in network_policy.go: the endPort range of the NetworkPolicyPort API reference
  // (networking.k8s.io/v1, GA in 1.25), probed on both ends and just outside the range.
  {
    test: "API reference: endPort admits the range port..endPort",
    step: "81 in 80-81",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-range", "x", podA, { ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })],
    port: 81,
    reach: (r) => r,
  },
  {
    test: "API reference: endPort admits the range port..endPort",
    step: "81 outside 79-80",
    pods: ["x/a", "y/a"],
    policies: [policy("allow-range", "x", podA, { ingress: [{ ports: [{ port: 79, endPort: 80 }] }] })],
    port: 81,
    reach: (r) => r.expectAllIngress("x/a", false),
  },
];

function label(c: Case): string {
  return `${c.test}${c.step ? ` [${c.step}]` : ""} (${c.protocol ?? "TCP"}/${c.port})`;
}

describe("NetworkPolicy evaluator: the conformance truth tables", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [label(c), c] as const))("%s", (_name, c) => {
    const reach = c.reach(new Reachability(c.pods, true));
    const wrong: string[] = [];
    for (const { from, to, allowed: want } of reach.pairs()) {
      const f = { ...modelPod(from), ...(c.podLabels?.[from] ? { labels: c.podLabels[from] } : {}) };
      const t = { ...modelPod(to), ...(c.podLabels?.[to] ? { labels: c.podLabels[to] } : {}) };
      const got = allowed(
        f,
        t,
        { port: c.port, protocol: c.protocol ?? "TCP" },
        c.policies,
        c.namespaces ?? {},
      ).allowed;
      if (got !== want) wrong.push(`${from} -> ${to}: want ${want}, got ${got}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("NetworkPolicy evaluator: what it reports", () => {
  it("names the side that denies and the policies isolating it", () => {
    const deny = policy("deny-egress", "x", podA, { egress: [] });
    const v = allowed(modelPod("x/a"), modelPod("y/a"), { port: 80 }, [deny]);
    expect(v).toMatchObject({ allowed: false, deniedBy: "egress" });
    expect(v.policies.map((p) => p.metadata?.name)).toEqual(["deny-egress"]);
    const ing = allowed(modelPod("y/a"), modelPod("x/a"), { port: 80 }, [denyIngress("deny-ingress")]);
    expect(ing).toMatchObject({ allowed: false, deniedBy: "ingress" });
  });

  it("defaults policyTypes to Ingress, plus Egress when egress rules exist", () => {
    const spec = (s: NetworkPolicy["spec"]): NetworkPolicy => ({ kind: "NetworkPolicy", spec: s });
    expect(policyTypes(spec({ podSelector: {} }))).toEqual(["Ingress"]);
    expect(policyTypes(spec({ podSelector: {}, egress: [{}] }))).toEqual(["Ingress", "Egress"]);
    expect(policyTypes(spec({ podSelector: {}, policyTypes: ["Egress"] }))).toEqual(["Egress"]);
  });

  it("matches IPv4 and IPv6 blocks with exceptions", () => {
    expect(inIPBlock({ cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] }, "10.2.3.4")).toBe(true);
    expect(inIPBlock({ cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] }, "10.1.3.4")).toBe(false);
    expect(inIPBlock({ cidr: "fd00::/8" }, "fd00::1")).toBe(true);
    expect(inIPBlock({ cidr: "fd00::/8" }, "10.0.0.1")).toBe(false);
    expect(inIPBlock({ cidr: "10.0.0.0/8" }, undefined)).toBe(false);
  });

  it("does not resolve a named port the destination does not declare", () => {
    const p = policy("named", "x", podA, { ingress: [{ ports: [{ port: "metrics" }] }] });
    expect(allowed(modelPod("y/a"), modelPod("x/a"), { port: 80 }, [p]).allowed).toBe(false);
  });
});
