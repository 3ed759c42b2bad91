// Accessibility of the web console: axe-core (@axe-core/playwright) on every page, signed out
// and signed in, in English and in Chinese, in Debian's chromium against the real stack with a
// diagnosed incident and a plan waiting for approval, so the pages are checked with their data.
// Zero serious or critical violations; a failure lists each violation's id and targets.
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { chromiumMissing, launchBrowser, newContext, screenshot, signIn } from "../support/browser.ts";
import { controlPlane, useNamespace } from "../support/cluster.ts";
import { itOnConsole, startConsoleStack } from "../support/console-stack.ts";
import type { ConsoleStack } from "../support/console-stack.ts";
import { eventually } from "../support/operator-process.ts";

const cluster = controlPlane();
const it = itOnConsole(cluster, chromiumMissing);
const ns = useNamespace(cluster, "con-a11y");
const ALERT = "KubePodCrashLooping";
const LANGS = ["en", "zh"] as const;

/** Each signed-in page: its route, and what shows once its data is there. */
const PAGES: Array<{ name: string; route: () => string; ready: (p: Page) => Locator }> = [
  { name: "overview", route: () => "overview", ready: (p) => p.getByTestId("page-overview") },
  { name: "incidents", route: () => "incidents", ready: (p) => p.getByTestId("incident-row").first() },
  {
    name: "incident",
    route: () => `incidents/${encodeURIComponent(incidentId)}`,
    ready: (p) => p.getByTestId("root-cause").locator(".ant-tag").first(),
  },
  { name: "plans", route: () => "plans", ready: (p) => p.getByTestId("approve").first() },
  {
    name: "agents",
    route: () => "agents",
    ready: (p) => p.getByTestId("page-agents").getByText("default").first(),
  },
  {
    name: "runbooks",
    route: () => "runbooks",
    ready: (p) => p.getByTestId("page-runbooks").getByText("Container crash-looping").first(),
  },
  { name: "ask", route: () => "ask", ready: (p) => p.getByTestId("question") },
  { name: "capacity", route: () => "capacity", ready: (p) => p.getByTestId("page-capacity") },
];
let incidentId = "";

/** Waits until no spinner or skeleton is left (data and lazy chunks loaded); polls, never sleeps. */
async function settled(p: Page): Promise<void> {
  await eventually(
    async () => (await p.locator(".ant-spin-spinning, .ant-skeleton-active").count()) === 0,
    60_000,
  );
}

/** The serious and critical violations on the page, one line each: page, id, impact, targets. */
async function violations(p: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page: p }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
}

async function setLang(p: Page, lang: string): Promise<void> {
  await p.getByTestId("lang").selectOption(lang);
  await p.locator(`html[lang^=${lang}]`).waitFor({ state: "attached" });
}

describe("web console accessibility (axe-core, every page, zh and en)", () => {
  let stack: ConsoleStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!cluster || chromiumMissing()) return;
    [stack, browser] = await Promise.all([startConsoleStack(cluster, ns.name), launchBrowser()]);
    const task = await stack.fireAlert(ALERT);
    // A diagnosed incident and its plan waiting for approval: every section has content.
    await eventually(async () => {
      const t = (await cluster.objects.read({
        apiVersion: "aisre.io/v1alpha1",
        kind: "SreTask",
        metadata: { name: task.name, namespace: task.namespace },
      })) as { status?: { phase?: string } };
      return t.status?.phase === "AwaitingApproval";
    }, 240_000);
  }, 600_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  for (const lang of LANGS) {
    it(`has no serious or critical violation on any page in ${lang}`, async () => {
      const context = await newContext(browser, lang === "zh" ? "zh-CN" : "en-US");
      contexts.push(context);
      const p = await context.newPage();
      const found: string[] = [];

      await p.goto(`${stack.url}/`);
      await p.getByTestId("page-signin").waitFor();
      await setLang(p, lang);
      found.push(...(await violations(p, `signin/${lang}`)));
      await signIn(p, stack.url, stack.approver.token);
      await setLang(p, lang);
      if (!incidentId) {
        const res = await p.request.get(`${stack.url}/console/api/incidents?namespace=${ns.name}`);
        incidentId = String(((await res.json()) as { items: Array<{ id: string | number }> }).items[0]!.id);
      }
      for (const page of PAGES) {
        await p.goto(`${stack.url}/#/${page.route()}`);
        await p.getByTestId(`page-${page.name}`).waitFor();
        await page.ready(p).waitFor();
        await settled(p);
        found.push(...(await violations(p, `${page.name}/${lang}`)));
        if (lang === "zh") await screenshot(p, `${page.name}-zh`);
      }
      expect(found, found.join("\n")).toEqual([]);
    }, 300_000);
  }
});
