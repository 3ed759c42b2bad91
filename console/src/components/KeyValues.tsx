/** Any JSON value the contract leaves open (impact, blast radius, dry run, policy) as readable rows. */
import { Descriptions, Typography } from "antd";
import { formatValue } from "./format.ts";

/** An object as label/value rows; anything else as text. Nothing for empty values. */
export function KeyValues({ value, column = 1 }: { value: unknown; column?: number }) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    return <pre className="aisre-pre">{formatValue(value)}</pre>;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && v !== null,
  );
  if (entries.length === 0) return <Typography.Text>—</Typography.Text>;
  return (
    <Descriptions size="small" column={column} bordered>
      {entries.map(([k, v]) => (
        <Descriptions.Item key={k} label={k}>
          {typeof v === "object" ? <pre className="aisre-pre">{formatValue(v)}</pre> : formatValue(v)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
