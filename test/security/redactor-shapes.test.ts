// Findings 3 and 4 of the trust-boundaries review, at the unit level: the shapes the old LLM
// redactor missed, and the log line the engine copied into results, all go through the one
// redactor (redact/). The corpus with recall and precision is redact/corpus.test.ts; the live
// proof that nothing reaches status, Events, rows or logs is log-secrets.test.ts.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { redactText } from "../../redact/index.ts";

const root = join(import.meta.dirname, "..", "..");

const CASES: Array<[shape: string, text: string, secret: string]> = [
  [
    "URL credentials in a log line",
    "FATAL: cannot connect to postgres://app:Sup3rS3cret!@db:5432/orders",
    "Sup3rS3cret!",
  ],
  ["args as separate list items", '["/app/server", "--db-password", "hunter2-Zq9"]', "hunter2-Zq9"],
  ["mysql -pPASS", "mysql -h db -u root -pS3cr3tPass orders", "S3cr3tPass"],
  [
    "AWS secret key with /",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "wJalrXUtnFEMI/K7MDENG",
  ],
  ["Authorization: Token", "Authorization: Token 9f8e7d6c5b4a3f2e1d0c", "9f8e7d6c5b4a3f2e1d0c"],
  [
    "docker config auth",
    '{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNzd29yZDEyMw=="}}}',
    "dXNlcjpwYXNzd29yZDEyMw==",
  ],
];

describe("one redactor masks the shapes of findings 3 and 4", () => {
  it.each(CASES)("%s", (_shape, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("***");
  });

  it("keeps the text useful: the host and port of a connection string survive", () => {
    expect(redactText("postgres://app:Sup3rS3cret!@db:5432/orders")).toBe(
      "postgres://app:***@db:5432/orders",
    );
  });

  it("has no second redactor with other rules", () => {
    for (const old of ["agents/diagnosis/llm/redact.ts", "notify/redact.ts", "webhooks/redact.ts"]) {
      expect(existsSync(join(root, old)), old).toBe(false);
    }
  });
});
