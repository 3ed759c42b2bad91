/**
 * What leaves the MCP server: every text redacted by the one redactor (redact/) and bounded,
 * so a log line or event quoted in a diagnosis never carries a secret and one call cannot
 * flood the client's context.
 */
import { truncate } from "../../agents/diagnosis/llm/fence.ts";
import { redactText } from "../../redact/index.ts";

/** Default bound of one tool answer, in characters, over all its parts. */
export const DEFAULT_MAX_OUTPUT_CHARS = 60_000;

/** Redacts each part, then cuts the parts so together they stay within max characters. */
export function boundedText(parts: readonly string[], max: number): string[] {
  const out: string[] = [];
  let left = max;
  for (const part of parts) {
    if (left <= 0) break;
    const text = truncate(redactText(part), left);
    out.push(text);
    left -= text.length;
  }
  return out;
}
