// The redactor against a corpus of secret shapes (each must be masked) and near-misses (each
// must survive unchanged): prints recall and precision and holds them to their bounds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redactObject, redactText } from "./index.ts";

interface SecretCase {
  name: string;
  text: string;
  /** Substrings that must not survive. */
  secrets: string[];
  /** The exact masked text, where the shape of the mask matters. */
  expect?: string;
}
interface NearMiss {
  name: string;
  text: string;
}

const load = <T>(file: string): T[] =>
  JSON.parse(readFileSync(new URL(`./corpus/${file}`, import.meta.url), "utf8")) as T[];
const secrets = load<SecretCase>("secrets.json");
const nearMisses = load<NearMiss>("near-misses.json");

const masked = (c: SecretCase, out: string) =>
  c.secrets.every((s) => !out.includes(s)) && out.includes("***");

describe("redact corpus", () => {
  it("has at least 40 secret shapes and 20 near-misses", () => {
    expect(secrets.length).toBeGreaterThanOrEqual(40);
    expect(nearMisses.length).toBeGreaterThanOrEqual(20);
  });

  it("recall 100 %, precision ≥ 95 %", () => {
    const missed = secrets.filter((c) => !masked(c, redactText(c.text)));
    const touched = nearMisses.filter((c) => redactText(c.text) !== c.text);
    const tp = secrets.length - missed.length;
    const recall = tp / secrets.length;
    const precision = tp / (tp + touched.length);
    console.log(
      `redact corpus: recall ${(recall * 100).toFixed(1)} % (${tp}/${secrets.length}), ` +
        `precision ${(precision * 100).toFixed(1)} % (${touched.length} of ${nearMisses.length} near-misses changed)`,
    );
    expect(missed.map((c) => `${c.name}: ${redactText(c.text)}`)).toEqual([]);
    expect(recall).toBe(1);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(touched.map((c) => `${c.name}: ${redactText(c.text)}`)).toEqual([]);
  });

  it.each(secrets.filter((c) => c.expect))("keeps the text useful: $name", (c) => {
    expect(redactText(c.text)).toBe(c.expect);
  });

  it("is idempotent on every case", () => {
    for (const c of [...secrets, ...nearMisses]) {
      const once = redactText(c.text);
      expect(redactText(once), c.name).toBe(once);
    }
  });

  it("keeps a JSON log line JSON", () => {
    for (const c of secrets) {
      const line = JSON.stringify({ level: 30, msg: c.text, detail: { text: c.text } });
      const out = redactText(line);
      expect(() => JSON.parse(out) as unknown, c.name).not.toThrow();
      expect(masked(c, out), c.name).toBe(true);
    }
  });

  it("masks args given as separate list items in objects", () => {
    const pod = { spec: { containers: [{ args: ["--db-password", "Sup3rS3cret!", "--port", "8080"] }] } };
    expect(redactObject(pod).spec.containers[0]!.args).toEqual(["--db-password", "***", "--port", "8080"]);
  });
});
