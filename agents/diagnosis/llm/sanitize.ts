/**
 * The one path text takes to the model: redact, then (optionally) anonymize, then bound,
 * then fence when untrusted. Answers take the reverse path for names, and are redacted
 * again on the way out so nothing secret-shaped reaches status even if the model made it up.
 */
import type { Anonymizer } from "./anonymize.ts";
import { fence, truncate } from "./fence.ts";
import { redactObject, redactText } from "../../../redact/index.ts";

/** Redaction and anonymization for one consultation. */
export interface Sanitizer {
  /** Redacted (and anonymized) text, trusted enough to appear unfenced (our own wording). */
  text(s: string): string;
  /** A value as redacted (and anonymized) JSON. */
  json(value: unknown): string;
  /** Untrusted text: redacted, anonymized, fenced with a label, max characters in all. */
  untrusted(label: string, s: string, max: number): string;
  /** A name or text from the model mapped back to real names, then redacted again. */
  restore(s: string): string;
  /** A name from the model (a tool argument) mapped back to the real name, nothing else. */
  real(s: string): string;
}

/** A sanitizer; pass an Anonymizer to hide names reversibly. */
export function makeSanitizer(anonymizer?: Anonymizer): Sanitizer {
  const hide = (s: string) => (anonymizer ? anonymizer.anonymize(s) : s);
  return {
    text: (s) => hide(redactText(s)),
    json: (value) => hide(JSON.stringify(redactObject(value))),
    untrusted: (label, s, max) => {
      const shownLabel = hide(redactText(label));
      const room = Math.max(0, max - fence(shownLabel, "").length);
      return fence(shownLabel, truncate(hide(redactText(s)), room));
    },
    restore: (s) => redactText(anonymizer ? anonymizer.deanonymize(s) : s),
    real: (s) => (anonymizer ? anonymizer.deanonymize(s) : s),
  };
}
