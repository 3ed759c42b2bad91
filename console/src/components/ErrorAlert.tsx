/** An API failure as an antd Alert, in the user's language, with the server's own message. */
import { Alert, Button } from "antd";
import { ApiError } from "../api/client.ts";
import { useI18n } from "../i18n/index.tsx";
import type { MessageKey, Translate } from "../i18n/index.tsx";

const KNOWN = new Set([400, 401, 403, 404, 409, 422, 503]);

/** The sentence for an error: the status's wording with the server's message. */
export function errorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t("error.network");
    if (KNOWN.has(err.status)) return t(`error.${err.status}` as MessageKey, { message: err.message });
    return t("error.other", { message: err.message });
  }
  return t("error.other", { message: err instanceof Error ? err.message : String(err) });
}

/** Shows err (nothing when undefined), with a retry button when onRetry is given. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errorText(error, t)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t("common.retry")}
          </Button>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
