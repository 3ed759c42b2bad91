/** The signed-in frame: header (title, language, user, sign out), navigation and the page. */
import type { ReactNode } from "react";
import { Button, Layout, Menu, Typography } from "antd";
import { useSession } from "../api/session.tsx";
import { useI18n } from "../i18n/index.tsx";
import type { MessageKey } from "../i18n/index.tsx";
import { PAGES, hrefOf } from "../route.ts";
import type { PageName, Route } from "../route.ts";
import { LangSwitch } from "./LangSwitch.tsx";

/** Frames a page for the signed-in user. */
export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useI18n();
  const { state, signOut } = useSession();
  const user = state.kind === "signedIn" ? state.session.user.username : "";
  const selected = route.page === "incident" ? "incidents" : route.page;
  const items = PAGES.map((p) => ({
    key: p,
    label: <a href={hrefOf({ page: p })}>{t(`nav.${p}` as MessageKey)}</a>,
  }));
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="aisre-header">
        <Typography.Title level={1} className="aisre-title">
          {t("app.title")}
        </Typography.Title>
        <div className="aisre-header-right">
          <LangSwitch />
          <span className="aisre-user">{t("user.signedInAs", { user })}</span>
          <Button data-testid="signout" onClick={() => void signOut()}>
            {t("user.signOut")}
          </Button>
        </div>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={220} theme="light">
          <nav aria-label={t("nav.label")}>
            {/* The links navigate on click; onClick covers the keyboard (Enter on a menu item). */}
            <Menu
              mode="inline"
              selectedKeys={[selected]}
              items={items}
              onClick={({ key }) => {
                location.hash = hrefOf({ page: key as PageName });
              }}
            />
          </nav>
        </Layout.Sider>
        {/* Layout.Content is the <main> landmark, Layout.Header the <header>. */}
        <Layout.Content className="aisre-main">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
