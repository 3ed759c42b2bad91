// The layers of the house and what each may import, as data; eslint.config.js turns it into
// import-x/no-restricted-paths zones, so a wrong arrow fails `npm run lint`.
// Arrows point down only: app → controllers, webhooks → agents, notify, store → tools,
// runtime, kube, logging → redact, crds. redact/ (the one secret redactor) is pure: every layer
// may import it and it imports nothing of ours. Folders not listed (test/, bench/, hack/, bin/)
// may import anything.
export const LAYERS = {
  app: [
    "cdk8s",
    "controllers",
    "webhooks",
    "agents",
    "notify",
    "store",
    "tools",
    "runtime",
    "kube",
    "logging",
    "redact",
    "crds",
  ],
  cdk8s: ["agents", "redact", "crds"],
  controllers: ["agents", "notify", "store", "tools", "runtime", "kube", "logging", "redact", "crds"],
  webhooks: ["agents", "notify", "store", "tools", "kube", "logging", "redact", "crds"],
  agents: ["tools", "kube", "logging", "redact", "crds"],
  notify: ["kube", "logging", "redact", "crds"],
  store: ["logging", "redact", "crds"],
  tools: ["logging", "redact", "crds"],
  runtime: ["kube", "logging", "redact", "crds"],
  kube: ["logging", "redact", "crds"],
  logging: ["redact"],
  redact: [],
  crds: [],
};

/** One no-restricted-paths zone per layer: everything it may not import. */
export function layerZones(layers = LAYERS) {
  const all = Object.keys(layers);
  const zones = all.map((layer) => ({
    target: `./${layer}`,
    from: all.filter((other) => other !== layer && !layers[layer].includes(other)).map((o) => `./${o}`),
    message: `${layer}/ may import only ${[...layers[layer]].join(", ") || "itself"} (eslint.layers.js).`,
  }));
  return zones.filter((zone) => zone.from.length > 0);
}
