// Small pieces shared by the matrix and the account detail: the health badge, the sandbox mark,
// the avatar, and health reasons in the reader's language.
import { useState } from "react";
import { useLocale, useT } from "../../i18n/i18n";
import { messages } from "./messages";
import type { HealthReason, Level, PlatformInfo } from "./types";

export type MessageKey = keyof (typeof messages)["en"];
export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useAccountsT(): T {
  return useT(messages);
}

export function useFormatDate(): (iso: string | null | undefined) => string {
  const { locale } = useLocale();
  return (iso) => {
    if (!iso) return "";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  };
}

export function platformName(platforms: PlatformInfo[], id: string): string {
  return platforms.find((p) => p.platform === id)?.display_name ?? id;
}

const LEVEL_CLASS: Record<Level, string> = { ok: "ok", warning: "warn", error: "danger" };

export function HealthBadge({ level }: { level: Level }) {
  const t = useAccountsT();
  const label = level === "ok" ? t("levelOk") : level === "warning" ? t("levelWarning") : t("levelError");
  return (
    <span className={`badge ${LEVEL_CLASS[level]}`} data-testid="health-badge" data-level={level}>
      <span className="visually-hidden">{t("healthLabel")}: </span>
      {label}
    </span>
  );
}

export function SandboxMark() {
  const t = useAccountsT();
  return (
    <span className="badge acc-sandbox" title={t("sandboxMarkNote")} data-testid="sandbox-mark">
      {t("sandboxMark")}
      <span className="visually-hidden"> ({t("sandboxMarkNote")})</span>
    </span>
  );
}

export function Avatar({ url, name, size = 32 }: { url?: string | null; name: string; size?: number }) {
  const [broken, setBroken] = useState(false);
  if (url && !broken) {
    return (
      <img
        className="acc-avatar"
        src={url}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        onError={() => setBroken(true)}
      />
    );
  }
  const initial = (name.replace(/^@/, "").trim()[0] ?? "?").toUpperCase();
  return (
    <span className="acc-avatar acc-avatar-none" aria-hidden="true" style={{ width: size, height: size }}>
      {initial}
    </span>
  );
}

// The server's reasons carry a code and an English message; the code picks the words here, and
// the variable part (a date, scopes, the platform's error) comes from the account or the message.
export function reasonText(
  t: T,
  r: HealthReason,
  tokenExpiresAt: string | null,
  fmt: (iso: string | null) => string,
): string {
  const after = (prefix: string) => (r.message.startsWith(prefix) ? r.message.slice(prefix.length) : r.message);
  switch (r.code) {
    case "disconnected":
      return t("rDisconnected");
    case "banned":
      return t("rBanned");
    case "restricted":
      return t("rRestricted");
    case "auth_failed": {
      const m = /\((.*)\): reconnect the account$/.exec(r.message);
      return t("rAuthFailed", { error: m ? m[1] : r.message });
    }
    case "last_error":
      return t("rLastError", { error: after("the last call to the platform failed: ") });
    case "token_expired":
      return t("rTokenExpired");
    case "token_expired_refreshable":
      return t("rTokenExpiredRefreshable");
    case "token_expiring":
      return tokenExpiresAt ? t("rTokenExpiring", { date: fmt(tokenExpiresAt) }) : r.message;
    case "missing_scopes":
      return t("rMissingScopes", { scopes: after("permissions not granted: ") });
    default:
      return r.message;
  }
}

export function Reasons({ reasons, tokenExpiresAt }: { reasons: HealthReason[]; tokenExpiresAt: string | null }) {
  const t = useAccountsT();
  const fmt = useFormatDate();
  if (reasons.length === 0) return null;
  return (
    <ul className="acc-reasons" data-testid="health-reasons">
      {reasons.map((r) => (
        <li key={r.code + r.message} data-code={r.code}>
          {reasonText(t, r, tokenExpiresAt, fmt)}
        </li>
      ))}
    </ul>
  );
}
