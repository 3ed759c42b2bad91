/**
 * Ask: a question in plain words becomes an SreTask (POST /ask, the user's own token); its
 * progress streams in, and when it is done the diagnosis report is shown with links.
 */
import { useState } from "react";
import { Alert, Button, Card, Form, Input, Select, Typography } from "antd";
import { api } from "../api/client.ts";
import { applyFieldError } from "../api/fields.ts";
import { useNamespaces } from "../api/session.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Progress } from "../components/Progress.tsx";
import { useI18n } from "../i18n/index.tsx";
import { useTaskStream } from "../sse/useTaskStream.ts";
import { AskReport } from "./ask/AskReport.tsx";

interface Created {
  namespace: string;
  name: string;
}

function Follow({ task }: { task: Created }) {
  const { t } = useI18n();
  const progress = useTaskStream(task.namespace, task.name);
  return (
    <>
      <Alert
        type="success"
        showIcon
        title={t("ask.created", { ref: `${task.namespace}/${task.name}` })}
        style={{ marginBottom: 16 }}
      />
      <Progress progress={progress} />
      {progress.finished && <AskReport task={task} />}
    </>
  );
}

/** The ask page. */
export default function Ask() {
  const { t } = useI18n();
  const namespaces = useNamespaces().filter((n) => n.canAsk);
  const [form] = Form.useForm<{ question: string; namespace: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [task, setTask] = useState<Created | undefined>(undefined);

  const submit = async (v: { question: string; namespace: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      setTask(
        await api<Created>("POST", "/ask", { body: { question: v.question.trim(), namespace: v.namespace } }),
      );
    } catch (err) {
      if (!applyFieldError(form, err, [["question"], ["namespace"]])) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-ask">
      <Typography.Title level={2}>{t("nav.ask")}</Typography.Title>
      <Typography.Paragraph>{t("ask.intro")}</Typography.Paragraph>
      {namespaces.length === 0 && (
        <Alert type="warning" showIcon title={t("ask.noNamespace")} style={{ marginBottom: 16 }} />
      )}
      <Card style={{ marginBottom: 16 }}>
        <ErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ namespace: namespaces[0]?.name }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            name="namespace"
            label={t("common.namespace")}
            rules={[{ required: true, message: t("common.namespace") }]}
          >
            <Select
              options={namespaces.map((n) => ({ value: n.name, label: n.name }))}
              style={{ maxWidth: 280 }}
            />
          </Form.Item>
          <Form.Item
            name="question"
            label={t("ask.question")}
            rules={[{ required: true, whitespace: true, message: t("ask.required") }]}
          >
            <Input.TextArea
              data-testid="question"
              rows={3}
              maxLength={2000}
              placeholder={t("ask.placeholder")}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            data-testid="ask"
            loading={busy}
            disabled={namespaces.length === 0}
          >
            {t("ask.submit")}
          </Button>
        </Form>
      </Card>
      {task && <Follow key={`${task.namespace}/${task.name}`} task={task} />}
    </div>
  );
}
