/**
 * Sign in with a Kubernetes bearer token. A refused token shows the server's message and which
 * API server refused it (data-testid="signin-error"); the token stays in the field.
 */
import { useState } from "react";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { ApiError } from "../api/client.ts";
import { applyFieldError } from "../api/fields.ts";
import { useSession } from "../api/session.tsx";
import { errorText } from "../components/ErrorAlert.tsx";
import { useI18n } from "../i18n/index.tsx";
import { LangSwitch } from "../shell/LangSwitch.tsx";

interface Refusal {
  text: string;
  apiServer: string | undefined;
}

/** The sign-in page. */
export default function SignIn({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [form] = Form.useForm<{ token: string }>();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | undefined>(undefined);

  const submit = async ({ token }: { token: string }) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      await signIn(token.trim());
    } catch (err) {
      if (applyFieldError(form, err, [["token"]])) return;
      const apiServer = err instanceof ApiError ? err.apiServer : undefined;
      const text = err instanceof ApiError && err.status === 401 ? err.message : errorText(err, t);
      setRefusal({ text, apiServer });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="aisre-header">
        <Typography.Title level={1} className="aisre-title">
          {t("app.title")}
        </Typography.Title>
        <LangSwitch />
      </header>
      <main className="aisre-signin" data-testid="page-signin">
        <Card>
          <Typography.Title level={2}>{t("signin.title")}</Typography.Title>
          <Typography.Paragraph>{t("signin.intro")}</Typography.Paragraph>
          <Typography.Paragraph>
            <Typography.Text code>{t("signin.hint")}</Typography.Text>
          </Typography.Paragraph>
          {expired && !refusal && (
            <Alert type="info" showIcon title={t("signin.expired")} style={{ marginBottom: 16 }} />
          )}
          {refusal && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="signin-error"
              title={refusal.text}
              description={
                refusal.apiServer ? t("signin.rejectedBy", { server: refusal.apiServer }) : undefined
              }
              style={{ marginBottom: 16 }}
            />
          )}
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
            <Form.Item
              name="token"
              label={t("signin.token")}
              rules={[{ required: true, whitespace: true, message: t("signin.required") }]}
            >
              <Input.TextArea data-testid="token" rows={5} autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="signin" loading={busy}>
              {t("signin.submit")}
            </Button>
          </Form>
        </Card>
      </main>
    </>
  );
}
