import { pino, type Logger, type LoggerOptions } from "pino";
import { redactText } from "../redact/index.ts";

/**
 * The options of every process logger. Each line is redacted before it is written (msg,
 * string fields, serialized errors): a log line quoting a container log, a URL or a command
 * line never carries its secret, and stays one JSON object.
 */
export function loggerOptions(name: string, level: string): LoggerOptions {
  return { name, level, base: { component: name }, hooks: { streamWrite: redactText } };
}

/** Creates the process logger: pino JSON on stderr, level from AISRE_LOG_LEVEL (default info). */
export function createLogger(name: string, level = process.env.AISRE_LOG_LEVEL ?? "info"): Logger {
  return pino(loggerOptions(name, level), pino.destination(2));
}

export type { Logger };
