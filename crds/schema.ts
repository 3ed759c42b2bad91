import { FormatRegistry, Kind, Type, TypeRegistry } from "@sinclair/typebox";
import type { SchemaOptions, StringOptions, TSchema, TUnsafe } from "@sinclair/typebox";

// Kinds for the schema shapes TypeBox has no native structural form of (string enums without
// anyOf, typed maps, preserve-unknown objects), registered so Value.Check validates them too:
// the sidecar and the tests check objects against the very schemas the CRDs carry.
const STRING_ENUM = "AisreStringEnum";
const STRING_MAP = "AisreStringMap";
const FREE_FORM = "AisreFreeForm";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

if (!TypeRegistry.Has(STRING_ENUM)) {
  TypeRegistry.Set<{ enum: string[] }>(STRING_ENUM, (s, v) => typeof v === "string" && s.enum.includes(v));
  TypeRegistry.Set<{ maxProperties: number; additionalProperties: { maxLength: number } }>(
    STRING_MAP,
    (s, v) => {
      if (!isPlainObject(v)) return false;
      const values = Object.values(v);
      const fits = (x: unknown) => typeof x === "string" && x.length <= s.additionalProperties.maxLength;
      return values.length <= s.maxProperties && values.every(fits);
    },
  );
  TypeRegistry.Set<{ maxProperties: number }>(
    FREE_FORM,
    (s, v) => isPlainObject(v) && Object.keys(v).length <= s.maxProperties,
  );
}
if (!FormatRegistry.Has("date-time")) {
  // RFC 3339, as metav1.Time serializes.
  const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  FormatRegistry.Set("date-time", (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
}

/** One `x-kubernetes-validations` entry: a CEL rule and the message a user reads on rejection. */
export interface CelRule {
  rule: string;
  message: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

/** A CEL rule with its message; the message is mandatory because users read it in kubectl errors. */
export function rule(
  expression: string,
  message: string,
  extra: Omit<CelRule, "rule" | "message"> = {},
): CelRule {
  return { rule: expression, message, ...extra };
}

/** A bounded string: every string has maxLength so CEL cost and object size stay bounded. */
export function Str(maxLength: number, options: StringOptions = {}) {
  return Type.String({ ...options, maxLength });
}

/** An RFC 3339 timestamp, as Kubernetes writes metav1.Time. */
export function Timestamp(description: string) {
  return Type.String({ description, format: "date-time", maxLength: 64 });
}

/** A non-negative 64-bit integer (generations, counters, durations). */
export function Count(description: string, options: SchemaOptions = {}) {
  return Type.Integer({ ...options, description, format: "int64", minimum: 0 });
}

/** A string restricted to values, typed as their union; a plain enum, never anyOf (structural). */
export function StrEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  const maxLength = Math.max(...values.map((v) => v.length));
  return Type.Unsafe<T[number]>({
    ...options,
    [Kind]: STRING_ENUM,
    type: "string",
    enum: [...values],
    maxLength,
  });
}

/** A string-to-string map such as labels: additionalProperties with a type, bounded in size. */
export function StrMap(maxProperties: number, valueMaxLength: number, description: string) {
  return Type.Unsafe<Record<string, string>>({
    [Kind]: STRING_MAP,
    description,
    type: "object",
    maxProperties,
    additionalProperties: { type: "string", maxLength: valueMaxLength },
  });
}

/** A free-form object the API server keeps without validating its fields (action params). */
export function FreeForm(maxProperties: number, description: string) {
  return Type.Unsafe<Record<string, unknown>>({
    [Kind]: FREE_FORM,
    description,
    type: "object",
    maxProperties,
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** An ordered list replaced as a whole by server-side apply. */
export function List<T extends TSchema>(items: T, maxItems: number, options: SchemaOptions = {}) {
  return Type.Array(items, { ...options, maxItems, "x-kubernetes-list-type": "atomic" });
}

/** A list of unique scalars; server-side apply merges it as a set. */
export function SetOf<T extends TSchema>(items: T, maxItems: number, options: SchemaOptions = {}) {
  return Type.Array(items, { ...options, maxItems, "x-kubernetes-list-type": "set" });
}

/** A list of objects unique by `key`; server-side apply merges entries by key. */
export function MapList<T extends TSchema>(
  items: T,
  key: string,
  maxItems: number,
  options: SchemaOptions = {},
) {
  return Type.Array(items, {
    ...options,
    maxItems,
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": [key],
  });
}

/** The plain JSON of a TypeBox schema: symbol keys (Kind, Optional) dropped, ready for a CRD. */
export function toOpenApi(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
