import { Value } from "@sinclair/typebox/value";
import { kindDefinition } from "./registry.ts";

/**
 * Checks a spec against its kind's schema before it reaches the API server, so intake
 * (sidecar, REST) can answer 4xx with every fault at once. CEL rules run only server-side.
 */
export function specErrors(kind: string, spec: unknown): string[] {
  const schema = kindDefinition(kind).spec;
  return [...Value.Errors(schema, spec)].map((e) => `spec${e.path.replaceAll("/", ".")}: ${e.message}`);
}
