/**
 * The console: language and antd locale, the session, then either the sign-in page or the shell
 * with the page the hash names. Every page is its own chunk, loaded when first opened.
 */
import { Suspense, lazy } from "react";
import type { ComponentType } from "react";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { SessionProvider, useSession } from "./api/session.tsx";
import { I18nProvider, useI18n } from "./i18n/index.tsx";
import { useRoute } from "./route.ts";
import type { Route } from "./route.ts";
import { ErrorBoundary } from "./components/ErrorBoundary.tsx";
import { Shell } from "./shell/Shell.tsx";
import { theme } from "./theme.ts";

const PAGES: Record<Route["page"], ComponentType<{ route: Route }>> = {
  overview: lazy(() => import("./pages/Overview.tsx")),
  incidents: lazy(() => import("./pages/Incidents.tsx")),
  incident: lazy(() => import("./pages/IncidentDetail.tsx")),
  plans: lazy(() => import("./pages/Plans.tsx")),
  agents: lazy(() => import("./pages/Agents.tsx")),
  runbooks: lazy(() => import("./pages/Runbooks.tsx")),
  ask: lazy(() => import("./pages/Ask.tsx")),
  capacity: lazy(() => import("./pages/Capacity.tsx")),
};
const SignIn = lazy(() => import("./pages/SignIn.tsx"));

function Loading() {
  const { t } = useI18n();
  return (
    <div style={{ padding: 48, textAlign: "center" }} role="status">
      <Spin />
      <span style={{ marginLeft: 12 }}>{t("common.loading")}</span>
    </div>
  );
}

function Body() {
  const { state } = useSession();
  const route = useRoute();
  if (state.kind === "probing") return <Loading />;
  if (state.kind === "signedOut") {
    return (
      <ErrorBoundary>
        <Suspense fallback={<Loading />}>
          <SignIn expired={state.expired} />
        </Suspense>
      </ErrorBoundary>
    );
  }
  const Page = PAGES[route.page];
  return (
    <Shell route={route}>
      <ErrorBoundary key={route.page + (route.id ?? "")}>
        <Suspense fallback={<Loading />}>
          <Page route={route} />
        </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}

function Localized() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === "zh" ? zhCN : enUS} theme={theme}>
      <AntApp>
        <SessionProvider>
          <Body />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The whole console. */
export function App() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}
