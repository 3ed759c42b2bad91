/**
 * Debian's chromium driven by playwright-core (no browser download): launch, screenshots as
 * test artifacts under test-artifacts/console/, a check that says how to get chromium, and a
 * proxy whose cut connections are the browser's view of a network outage.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import { connect, createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** Where the console's screenshots land (CI keeps test-artifacts/ as artifacts). */
export const ARTIFACTS_DIR = join("test-artifacts", "console");

/** The chromium executable: AISRE_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.AISRE_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here, or undefined when chromium is there. Under CI=true a
 * missing chromium throws (the suite fails, never skips).
 */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    const why = `no chromium at ${CHROMIUM}: run 'sudo apt-get install chromium' (or set AISRE_CHROMIUM)`;
    if (process.env.CI === "true") throw new Error(`${why} (required under CI)`);
    return why;
  }
}

/** Launches chromium headless, without the sandbox (tests run as root in containers). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}

/** A fresh browser context (own cookies and storage) with generous waits for a loaded machine. */
export async function newContext(browser: Browser, locale = "en-US"): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
  // Two cores shared by many suites: Playwright's auto-waiting gets time, never a sleep.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Saves a full-page screenshot as test-artifacts/console/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens the console at baseUrl and signs in with token; resolves once the overview shows. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  // The page's own test id is the readiness signal: "load" also waits for every asset, which on
  // a loaded machine can exceed the navigation timeout although the sign-in form is usable.
  await page.goto(`${baseUrl}/`, { waitUntil: "domcontentloaded" });
  await page.getByTestId("page-signin").waitFor();
  await page.getByTestId("token").fill(token);
  await page.getByTestId("signin").click();
  const overview = page.getByTestId("page-overview");
  await overview.or(page.getByTestId("signin-error")).first().waitFor();
  if (await overview.isVisible()) return;
  await screenshot(page, "signin-failed");
  throw new Error(`sign-in refused: ${await page.getByTestId("signin-error").innerText()}`);
}

/** Goes to a hash route (e.g. "plans") and waits for its page root, data-testid page-<testid>. */
export async function openPage(page: Page, baseUrl: string, route: string, testid = route): Promise<void> {
  await page.goto(`${baseUrl}/#/${route}`, { waitUntil: "domcontentloaded" });
  await page.getByTestId(`page-${testid}`).waitFor();
}

/** A TCP proxy whose connections can be cut (the browser's view of a network outage). */
export interface CuttableProxy {
  url: string;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** Starts a loopback TCP proxy to targetPort whose connections down() cuts (and refuses until up()). */
export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  let isDown = false;
  const server = createServer((client) => {
    if (isDown) return void client.destroy();
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    down: () => {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up: () => void (isDown = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
