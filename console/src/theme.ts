/**
 * Ant Design tokens darkened where the defaults miss WCAG AA contrast (4.5:1) on white:
 * the primary blue (#1677ff is 3.9:1) and the secondary and description greys.
 */
import type { ThemeConfig } from "antd";

export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#0958d9",
    colorLink: "#0958d9",
    // antd derives lighter hover shades (#579df2 is 2.7:1); hover and press darken instead.
    colorPrimaryHover: "#003eb3",
    colorPrimaryActive: "#002c8c",
    colorLinkHover: "#003eb3",
    colorLinkActive: "#002c8c",
    colorTextSecondary: "rgba(0, 0, 0, 0.68)",
    colorTextTertiary: "rgba(0, 0, 0, 0.64)",
    colorTextDescription: "rgba(0, 0, 0, 0.64)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.58)",
    colorError: "#c41d1d",
    colorWarning: "#ad4e00",
    colorSuccess: "#237804",
    // The darker status colours would derive muddy backgrounds: keep antd's light ones.
    colorSuccessBg: "#f6ffed",
    colorSuccessBorder: "#b7eb8f",
    colorWarningBg: "#fffbe6",
    colorWarningBorder: "#ffe58f",
    colorErrorBg: "#fff2f0",
    colorErrorBorder: "#ffccc7",
    colorInfoBg: "#e6f4ff",
    colorInfoBorder: "#91caff",
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  },
};

/** Tag colours with white text at 4.5:1 or more. */
export const TAG_COLORS: Record<string, string> = {
  critical: "#a8071a",
  high: "#a8071a",
  warning: "#ad4e00",
  medium: "#ad4e00",
  info: "#0958d9",
  low: "#237804",
  open: "#a8071a",
  diagnosing: "#0958d9",
  diagnosed: "#ad4e00",
  remediating: "#0958d9",
  failed: "#a8071a",
  resolved: "#237804",
  good: "#237804",
  bad: "#a8071a",
  busy: "#0958d9",
  neutral: "#595959",
};
