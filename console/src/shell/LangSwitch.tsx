/** The zh/en switch (data-testid="lang"): a native select, so keyboards and tests drive it simply. */
import { useId } from "react";
import { useI18n } from "../i18n/index.tsx";
import type { Lang } from "../i18n/index.tsx";

/** Switches the console's language. */
export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const id = useId();
  return (
    <span className="aisre-lang">
      <label htmlFor={id}>{t("lang.label")}</label>
      <select id={id} data-testid="lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        <option value="zh" lang="zh-CN">
          中文
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </span>
  );
}
