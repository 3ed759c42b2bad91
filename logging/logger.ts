import { pino, type Logger } from "pino";

/** Creates the process logger: pino JSON on stderr, level from AISRE_LOG_LEVEL (default info). */
export function createLogger(name: string, level = process.env.AISRE_LOG_LEVEL ?? "info"): Logger {
  return pino({ name, level, base: { component: name } }, pino.destination(2));
}

export type { Logger };
