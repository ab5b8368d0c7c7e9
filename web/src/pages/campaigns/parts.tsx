// Small pieces the campaign screens share: the status badge and the dates of a campaign in the reader's
// language (campaign dates are calendar days, not instants: formatted as UTC so no zone shifts them).
import { useT } from "../../i18n/i18n";
import type { Campaign, CampaignStatus } from "../../lib/campaigns";
import { messages } from "./messages";

type T = ReturnType<typeof useT<keyof (typeof messages)["en"]>>;

const BADGE: Record<CampaignStatus, string> = {
  draft: "",
  planned: "",
  active: "ok",
  paused: "danger",
  completed: "",
  cancelled: "warn",
};

export function StatusBadge({ status }: { status: CampaignStatus }) {
  const t = useT(messages);
  return (
    <span className={`badge ${BADGE[status] ?? ""}`.trim()} data-testid="campaign-status">
      {t(`status_${status}`)}
    </span>
  );
}

export function formatDay(day: string, locale: string): string {
  const ms = Date.parse(day + "T00:00:00Z");
  if (!Number.isFinite(ms)) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(ms);
}

export function dateRange(c: Pick<Campaign, "starts_on" | "ends_on">, t: T, locale: string): string {
  if (!c.starts_on && !c.ends_on) return t("noDates");
  return t("dates", {
    from: c.starts_on ? formatDay(c.starts_on, locale) : t("openEnded"),
    to: c.ends_on ? formatDay(c.ends_on, locale) : t("openEnded"),
  });
}
