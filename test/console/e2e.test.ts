// The web console in Debian's chromium against the real stack (control plane, operator,
// PostgreSQL, the `aisre sidecar` process serving console/dist): signing in with a
// ServiceAccount token, a refused token, the zh/en switch, every page for a read-only user, a
// user without rights, and signing out (the old cookie is refused afterwards).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import {
  chromiumMissing,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  signIn,
} from "../support/browser.ts";
import { controlPlane, useNamespace } from "../support/cluster.ts";
import { itOnConsole, startConsoleStack } from "../support/console-stack.ts";
import type { ConsoleStack } from "../support/console-stack.ts";

const cluster = controlPlane();
const it = itOnConsole(cluster, chromiumMissing);
const ns = useNamespace(cluster, "con-e2e");
const PAGES = ["incidents", "plans", "agents", "runbooks", "ask", "capacity"] as const;
const CJK = /[\u4e00-\u9fff]/;

describe("web console in a real browser: identity, language, pages", () => {
  let stack: ConsoleStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const page = async (locale = "en-US"): Promise<Page> => {
    const context = await newContext(browser, locale);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    if (!cluster || chromiumMissing()) return;
    [stack, browser] = await Promise.all([startConsoleStack(cluster, ns.name), launchBrowser()]);
  }, 600_000);
  // A finished test's pages go: open pages keep polling and streaming, and on two busy cores
  // they slowed the next test's navigation past its timeout (CI, sign-out test).
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  it("signs in with a ServiceAccount token and lands on the overview", async () => {
    const p = await page();
    const origins = new Set<string>();
    const cspErrors: string[] = [];
    p.on("request", (r) => void (/^(https?|wss?):/.test(r.url()) && origins.add(new URL(r.url()).origin)));
    p.on("console", (m) => void (/Content.Security.Policy/i.test(m.text()) && cspErrors.push(m.text())));
    const res = await p.goto(`${stack.url}/`);
    expect(res?.headers()).toMatchObject({
      "content-security-policy": expect.stringContaining("script-src 'self'"),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    await p.getByTestId("page-signin").waitFor();
    await screenshot(p, "signin");
    await p.getByTestId("token").fill(stack.approver.token);
    await p.getByTestId("signin").click();
    await p.getByTestId("page-overview").waitFor();
    // The header names the signed-in identity the API server reported (TokenReview).
    await p.getByText(stack.approver.username).first().waitFor();
    const session = await p.request.get(`${stack.url}/console/api/session`);
    expect(session.status()).toBe(200);
    expect(await session.json()).toMatchObject({ user: { username: stack.approver.username } });
    await screenshot(p, "overview");
    // Air-gapped: every request went to the sidecar, and the strict CSP blocked nothing the console needs.
    expect([...origins]).toEqual([new URL(stack.url).origin]);
    expect(cspErrors).toEqual([]);
  });

  it("a refused token: the sign-in page says so, names the API server and keeps the token", async () => {
    const p = await page();
    await p.goto(`${stack.url}/`);
    const bogus = "eyJhbGciOiJSUzI1NiJ9.bm90LWEtdG9rZW4.c2lnbmF0dXJl";
    await p.getByTestId("token").fill(bogus);
    await p.getByTestId("signin").click();
    const error = p.getByTestId("signin-error");
    await error.waitFor();
    const text = await error.innerText();
    expect(text).toContain(new URL(stack.apiServer).host);
    expect(text).toMatch(/reject/i);
    expect(await p.getByTestId("token").inputValue()).toBe(bogus);
    expect(await p.getByTestId("page-overview").count()).toBe(0);
    await screenshot(p, "signin-refused");
  });

  it("the zh/en switch changes the visible text and <html lang>, and is kept across a reload", async () => {
    const p = await page("en-US");
    await signIn(p, stack.url, stack.reader.token);
    const signout = p.getByTestId("signout");
    const html = p.locator("html");
    await p.getByTestId("lang").selectOption("en");
    await p.locator("html[lang^=en]").waitFor({ state: "attached" });
    await signout.filter({ hasNotText: CJK }).waitFor();
    const english = await signout.innerText();
    await p.getByTestId("lang").selectOption("zh");
    await p.locator("html[lang^=zh]").waitFor({ state: "attached" });
    // The same button, now in Chinese: the text changed in place, no reload.
    await signout.filter({ hasText: CJK }).waitFor();
    expect(await signout.innerText()).not.toBe(english);
    expect(await p.getByTestId("page-overview").innerText()).toMatch(CJK);
    await screenshot(p, "overview-zh");
    await p.reload();
    await p.getByTestId("page-overview").waitFor();
    expect(await html.getAttribute("lang")).toMatch(/^zh/);
    await p.getByTestId("lang").selectOption("en");
    await p.locator("html[lang^=en]").waitFor({ state: "attached" });
  });

  it("shows every page to the read-only user, limited to their namespace", async () => {
    const p = await page();
    await signIn(p, stack.url, stack.reader.token);
    const namespaces = await p.request.get(`${stack.url}/console/api/namespaces`);
    expect(namespaces.status()).toBe(200);
    const { items } = (await namespaces.json()) as { items: Array<{ name: string; canApprove: boolean }> };
    expect(items).toEqual([expect.objectContaining({ name: ns.name, canApprove: false })]);
    for (const name of PAGES) {
      await openPage(p, stack.url, name);
      await screenshot(p, name);
    }
    // The namespace's AgentConfig and Runbook, read as the user.
    await openPage(p, stack.url, "agents");
    await p.getByTestId("page-agents").getByText("default").first().waitFor();
    await openPage(p, stack.url, "runbooks");
    await p.getByTestId("page-runbooks").getByText("Container crash-looping").first().waitFor();
  });

  it("a user without rights sees no namespace and cannot read the namespace's incidents", async () => {
    const p = await page();
    await signIn(p, stack.url, stack.nobody.token);
    const namespaces = await p.request.get(`${stack.url}/console/api/namespaces`);
    expect(((await namespaces.json()) as { items: unknown[] }).items).toEqual([]);
    const incidents = await p.request.get(`${stack.url}/console/api/incidents?namespace=${ns.name}`);
    expect([200, 403]).toContain(incidents.status());
    if (incidents.status() === 200) expect(((await incidents.json()) as { total: number }).total).toBe(0);
    await openPage(p, stack.url, "runbooks");
    expect(await p.getByTestId("page-runbooks").getByText("Container crash-looping").count()).toBe(0);
  });

  it("Ask: a question in plain words becomes an SreTask made as the user, and its progress streams in", async () => {
    const p = await page();
    await signIn(p, stack.url, stack.approver.token);
    await openPage(p, stack.url, "ask");
    const ask = p.getByTestId("page-ask");
    await ask.getByRole("combobox").click();
    await p.locator(".ant-select-item-option", { hasText: ns.name }).click();
    const question = "为什么 checkout 一直重启?";
    await p.getByTestId("question").fill(question);
    await p.getByTestId("ask").click();
    // The phase of the new task, as its stream reports it.
    await p.getByTestId("progress").locator(".ant-tag").first().waitFor();
    const { items } = (await cluster!.objects.list("aisre.io/v1alpha1", "SreTask", ns.name)) as unknown as {
      items: SreTask[];
    };
    const asked = items.filter((t) => t.spec.source === "Console");
    expect(asked).toHaveLength(1);
    expect(asked[0]!.spec).toMatchObject({ requestedBy: stack.approver.username });
    expect(asked[0]!.spec.description).toContain(question);
    await p.getByText(asked[0]!.metadata.name!).first().waitFor();
    await screenshot(p, "ask-progress");
  });

  it("signs out: back to the sign-in page, and the old session cookie is refused (401)", async () => {
    const p = await page();
    await signIn(p, stack.url, stack.reader.token);
    const cookie = (await p.context().cookies()).find((c) => c.name === "aisre_console");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    await p.getByTestId("signout").click();
    await p.getByTestId("page-signin").waitFor();
    const replay = await fetch(`${stack.sidecarUrl}/console/api/session`, {
      headers: { cookie: `aisre_console=${cookie!.value}` },
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    await p.reload();
    await p.getByTestId("page-signin").waitFor();
  });
});
