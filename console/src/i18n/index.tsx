/**
 * The language of the console: zh or en, chosen by the switch, kept in localStorage, first
 * taken from the browser. `t(key, vars)` fills `{name}` placeholders.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { en } from "./en.ts";
import type { Catalog, MessageKey } from "./en.ts";
import { zh } from "./zh.ts";

export type Lang = "zh" | "en";
export type { MessageKey };
/** Translates a key, filling `{name}` placeholders from vars. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const CATALOGS: Record<Lang, Catalog> = { en, zh };
const STORAGE_KEY = "aisre.console.lang";

/** Fills `{name}` placeholders; an unknown placeholder stays as written. */
export function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The language to start with: the stored choice, else the browser's. */
export function initialLang(stored: string | null, browser: string | undefined): Lang {
  if (stored === "zh" || stored === "en") return stored;
  return browser?.toLowerCase().startsWith("zh") ? "zh" : "en";
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const Ctx = createContext<I18n | undefined>(undefined);

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Provides the language and its catalog; keeps <html lang> in step. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(readStored(), navigator.language));
  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = CATALOGS[lang]["app.title"];
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private windows may refuse storage; the choice then lasts for this page only.
    }
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const catalog = CATALOGS[lang];
    return { lang, setLang, t: (key, vars) => format((catalog[key] as string | undefined) ?? key, vars) };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The current language, its switch and the translator. */
export function useI18n(): I18n {
  const value = useContext(Ctx);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
