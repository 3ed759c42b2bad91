/** The logging notify/ uses: a pino logger or Fastify's (both fit). */
import type { BaseLogger } from "pino";

/** Log methods only; messages are past tense, fields never hold secrets or message text. */
export type Logger = Pick<BaseLogger, "debug" | "info" | "warn" | "error">;
