/**
 * Catches what a page throws while rendering, above all a page chunk that no longer loads (the
 * console was rebuilt or upgraded while this tab was open): says so and offers a reload,
 * instead of leaving a blank page.
 */
import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";
import { Alert, Button } from "antd";
import { useI18n } from "../i18n/index.tsx";

function Fallback({ error }: { error: Error }) {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t("error.render")}
      description={error.message}
      action={
        <Button type="primary" onClick={() => location.reload()}>
          {t("error.reload")}
        </Button>
      }
    />
  );
}

interface State {
  error: Error | undefined;
}

/** Shows a reload prompt instead of children once they threw. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("console page failed", error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.error ? <Fallback error={this.state.error} /> : this.props.children;
  }
}
