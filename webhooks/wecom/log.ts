/** The logging the WeCom callback uses: the same as notify/ (a pino logger or Fastify's). */
export type { Logger } from "../../notify/log.ts";
