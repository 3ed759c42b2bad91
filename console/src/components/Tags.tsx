/** Coloured tags for severity, status, risk and phase, in the user's language. */
import { Tag } from "antd";
import { useI18n } from "../i18n/index.tsx";
import type { MessageKey } from "../i18n/index.tsx";
import { TAG_COLORS } from "../theme.ts";

const GOOD = new Set(["Succeeded", "Resolved", "Completed", "Ready", "Approved", "Diagnosed"]);
const BAD = new Set(["Failed", "Rejected", "RolledBack", "Invalid"]);
const BUSY = new Set([
  "Diagnosing",
  "Remediating",
  "Running",
  "Verifying",
  "Classifying",
  "AwaitingApproval",
]);

function TextTag({ tone, text }: { tone: string; text: string }) {
  return (
    <Tag color={TAG_COLORS[tone] ?? TAG_COLORS.neutral} variant="solid">
      {text}
    </Tag>
  );
}

function useLabel(prefix: string, value: string): string {
  const { t } = useI18n();
  const key = `${prefix}.${value}` as MessageKey;
  const text = t(key);
  // An unknown value (a phase added later) is shown as the server wrote it.
  return text === key ? value : text;
}

/** critical / warning / info. */
export function SeverityTag({ value }: { value?: string | null }) {
  const text = useLabel("severity", value ?? "");
  if (!value) return null;
  return <TextTag tone={value} text={text} />;
}

/** open / resolved. */
export function StatusTag({ value }: { value?: string | null }) {
  const text = useLabel("status", value ?? "");
  if (!value) return null;
  return <TextTag tone={value} text={text} />;
}

/** low / medium / high. */
export function RiskTag({ value }: { value?: string | null }) {
  const text = useLabel("risk", value ?? "");
  if (!value) return null;
  return <TextTag tone={value} text={text} />;
}

/** A task, run, plan or step phase. */
export function PhaseTag({ value }: { value?: string | null }) {
  const text = useLabel("phase", value ?? "");
  if (!value) return null;
  const tone = GOOD.has(value) ? "good" : BAD.has(value) ? "bad" : BUSY.has(value) ? "busy" : "neutral";
  return <TextTag tone={tone} text={text} />;
}
