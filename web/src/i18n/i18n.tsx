// Three locales: English, Simplified Chinese (zh-CN), Traditional Chinese (zh-TW). Each screen
// keeps its own messages beside it (defineMessages, one object per locale, the same keys, checked
// by TypeScript), so screens never contend for one big file; common words are in common.ts.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export type Locale = "en" | "zh-CN" | "zh-TW";
export const LOCALES: { id: Locale; label: string }[] = [
  { id: "en", label: "English" },
  { id: "zh-CN", label: "简体中文" },
  { id: "zh-TW", label: "繁體中文" },
];

export type Messages<K extends string> = { en: Record<K, string> } & Record<"zh-CN" | "zh-TW", Record<K, string>>;

export function defineMessages<K extends string>(m: Messages<K>): Messages<K> {
  return m;
}

// "{n} posts" with {n: 3} -> "3 posts".
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all));
}

function initialLocale(): Locale {
  const saved = localStorage.getItem("herald.locale");
  if (saved === "en" || saved === "zh-CN" || saved === "zh-TW") return saved;
  const nav = (navigator.language || "en").toLowerCase();
  if (nav.startsWith("zh")) return nav.includes("tw") || nav.includes("hk") || nav.includes("hant") ? "zh-TW" : "zh-CN";
  return "en";
}

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
}
const LocaleContext = createContext<LocaleState>({ locale: "en", setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem("herald.locale", l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  document.documentElement.lang = locale;
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

// const t = useT(messages); t("title"), t("count", {n: 3})
export function useT<K extends string>(messages: Messages<K>) {
  const { locale } = useLocale();
  return useCallback(
    (key: K, vars?: Record<string, string | number>) => format(messages[locale][key] ?? messages.en[key] ?? key, vars),
    [locale, messages],
  );
}
