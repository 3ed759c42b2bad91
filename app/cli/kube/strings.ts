import { en } from "./strings-en.ts";
import type { Strings } from "./strings-en.ts";
import { zh } from "./strings-zh.ts";

/**
 * The catalog for the user's language: AISRE_LANG (en or zh), else the locale (LC_ALL, LC_MESSAGES,
 * LANG) as kubectl reads it; Chinese for zh*, English otherwise.
 */
export function strings(env: NodeJS.ProcessEnv = process.env): Strings {
  const lang = env.AISRE_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return lang.toLowerCase().startsWith("zh") ? zh : en;
}
