import { useState, type FormEvent } from "react";
import { describeError } from "../api";
import { defineMessages, LOCALES, useLocale, useT, type Locale } from "../i18n/i18n";
import { useSession } from "../session";

const messages = defineMessages({
  en: { title: "Sign in to Herald", email: "Email", password: "Password", submit: "Sign in", busy: "Signing in…" },
  "zh-CN": { title: "登录 Herald", email: "邮箱", password: "密码", submit: "登录", busy: "正在登录…" },
  "zh-TW": { title: "登入 Herald", email: "電子郵件", password: "密碼", submit: "登入", busy: "正在登入…" },
});

export function LoginPage() {
  const t = useT(messages);
  const { signIn } = useSession();
  const { locale, setLocale } = useLocale();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await signIn(email, password);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={submit} className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">{t("title")}</h1>
        <label>
          {t("email")}
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t("password")}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("busy") : t("submit")}
        </button>
        <select aria-label="Language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
      </form>
    </main>
  );
}
