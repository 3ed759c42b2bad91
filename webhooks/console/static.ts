/**
 * The console's static files (the Vite build in console/dist) at `/`, same origin as its API,
 * and the security headers every console response carries: a strict Content-Security-Policy
 * (no inline scripts, no third-party origin: the console works air-gapped), nosniff, no
 * referrer. Without a build, `/` answers 503 saying how to make one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** The Content-Security-Policy of every console response (antd needs inline styles, not scripts). */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/** The headers every console response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** Where `npm run build:console` writes the console. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL("../../console/dist/", import.meta.url));

/** What `/` answers when the console was not built. */
export const NOT_BUILT = "console not built: run npm run build:console\n";

/** Adds the security headers to every response of this scope. */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!reply.hasHeader(name)) void reply.header(name, value);
    return payload;
  });
}

/**
 * Serves distDir at `/`: index.html for `/` (never cached, so a new build shows at once), the
 * hashed assets for a year. Without distDir/index.html only `/` is routed, answering 503.
 */
export async function consoleStatic(app: FastifyInstance, distDir = DEFAULT_DIST_DIR): Promise<boolean> {
  const root = path.resolve(distDir);
  if (!existsSync(path.join(root, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).header("retry-after", "60").type("text/plain; charset=utf-8").send(NOT_BUILT),
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    index: "index.html",
    wildcard: true,
    schemaHide: true,
    dotfiles: "deny",
    // The hashed assets never change; index.html must not be cached, so a new build shows at once.
    cacheControl: false,
    setHeaders: (reply, file) => {
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      void reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return true;
}
