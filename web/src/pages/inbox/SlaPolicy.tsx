// A brand's SLA policy (first-response and resolution targets, business hours), for those who
// manage the brand; and the SLA alerts pushed by the server when a clock goes past due. The
// server checks every value again (services/inbox/sla.cpp) and names the field it refuses.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "../../router";
import { ApiError, api, describeError } from "../../api";
import { useLocale } from "../../i18n/i18n";
import { useSession } from "../../session";
import { InboxDialog, useDialogFocus } from "./Dialog";
import { useInboxT } from "./messages";
import type { BusinessHours, SlaBreach, SlaPolicy, Weekday } from "./types";
import { WEEKDAYS, formatSpans, parseSpans } from "./types";

export function SlaPolicyDialog(p: { brandIds: string[]; initialBrand: string; onClose: () => void }) {
  const t = useInboxT();
  const { brands } = useSession();
  const [brandId, setBrandId] = useState(p.initialBrand || p.brandIds[0] || "");
  const [policy, setPolicy] = useState<SlaPolicy | null>(null);
  const [first, setFirst] = useState("60");
  const [resolution, setResolution] = useState("");
  const [useHours, setUseHours] = useState(false);
  const [zone, setZone] = useState("");
  const [days, setDays] = useState<Record<Weekday, string>>(() => emptyDays());
  const [holidays, setHolidays] = useState("");
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);
  const [keepDays, setKeepDays] = useState("");
  const [purged, setPurged] = useState(0);
  const [retentionDone, setRetentionDone] = useState("");
  const first_ = useDialogFocus<HTMLSelectElement>();

  const show = (s: SlaPolicy) => {
    setPolicy(s);
    setFirst(String(s.first_response_minutes));
    setResolution(s.resolution_minutes === null ? "" : String(s.resolution_minutes));
    setUseHours(s.business_hours !== null);
    const brandZone = brands.find((b) => b.id === s.brand_id)?.timezone ?? "";
    setZone(s.business_hours?.timezone ?? brandZone);
    const d = emptyDays(s.business_hours === null ? "09:00-18:00" : "");
    if (s.business_hours) for (const w of WEEKDAYS) d[w] = formatSpans(s.business_hours.weekly[w]);
    else d.sat = d.sun = "";
    setDays(d);
    setHolidays((s.business_hours?.holidays ?? []).join(", "));
  };
  useEffect(() => {
    if (!brandId) return;
    let live = true;
    setError("");
    setDone("");
    api
      .get<SlaPolicy>(`/api/v1/inbox/sla-policies/${brandId}`)
      .then((s) => live && show(s))
      .catch((e) => live && setError(describeError(e)));
    api
      .get<{ keep_days: number | null; purged_total: number }>(`/api/v1/inbox/retention/${brandId}`)
      .then((r) => {
        if (!live) return;
        setKeepDays(r.keep_days === null ? "" : String(r.keep_days));
        setPurged(r.purged_total);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [brandId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone("");
    const minutes = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN);
    const f = minutes(first);
    const r = resolution.trim() === "" ? null : minutes(resolution);
    if (Number.isNaN(f) || (r !== null && Number.isNaN(r))) {
      setError(t("policyBadNumber"));
      return;
    }
    let hours: BusinessHours | null = null;
    if (useHours) {
      hours = { timezone: zone.trim() || undefined, weekly: {}, holidays: [] };
      for (const w of WEEKDAYS) {
        const spans = parseSpans(days[w]);
        if (spans === null) {
          setError(t("policyBadDay", { day: t(`day_${w}`) }));
          return;
        }
        if (spans.length > 0) hours.weekly[w] = spans;
      }
      hours.holidays = holidays
        .split(/[,\s]+/)
        .map((x) => x.trim())
        .filter((x) => x !== "");
    }
    setBusy(true);
    setError("");
    try {
      const saved = await api.put<SlaPolicy>(
        `/api/v1/inbox/sla-policies/${brandId}`,
        { first_response_minutes: f, resolution_minutes: r, business_hours: hours },
        policy && !policy.default ? { ifMatch: `"v${policy.version}"` } : undefined,
      );
      show(saved);
      setDone(t("policySaved"));
    } catch (err) {
      setError(err instanceof ApiError && err.problem.field ? `${err.problem.field}: ${describeError(err)}` : describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const saveRetention = async () => {
    setError("");
    setRetentionDone("");
    const v = keepDays.trim();
    if (v !== "" && !/^\d+$/.test(v)) {
      setError(t("policyBadNumber"));
      return;
    }
    try {
      const r = await api.put<{ keep_days: number | null; purged_total: number }>(`/api/v1/inbox/retention/${brandId}`, {
        keep_days: v === "" ? null : Number(v),
      });
      setKeepDays(r.keep_days === null ? "" : String(r.keep_days));
      setPurged(r.purged_total);
      setRetentionDone(t("retentionSaved"));
    } catch (err) {
      setError(describeError(err));
    }
  };
  const reset = async () => {
    setBusy(true);
    setError("");
    try {
      await api.del(`/api/v1/inbox/sla-policies/${brandId}`);
      show(await api.get<SlaPolicy>(`/api/v1/inbox/sla-policies/${brandId}`));
      setDone("");
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InboxDialog className="sla-dialog" labelledBy="sla-policy-title" testId="sla-policy" onClose={p.onClose} onSubmit={(e) => void submit(e)}>
      <h2 id="sla-policy-title">{t("policyTitle")}</h2>
      <label>
        {t("policyBrand")}
        <select ref={first_} value={brandId} onChange={(e) => setBrandId(e.target.value)}>
          {p.brandIds.map((id) => (
            <option key={id} value={id}>
              {brands.find((b) => b.id === id)?.name ?? id}
            </option>
          ))}
        </select>
      </label>
      {policy?.default && <p className="muted">{t("policyDefault")}</p>}
      <div className="sla-targets">
        <label>
          {t("policyFirst")}
          <input inputMode="numeric" value={first} onChange={(e) => setFirst(e.target.value)} data-testid="policy-first" />
        </label>
        <label>
          {t("policyResolution")}
          <input inputMode="numeric" value={resolution} onChange={(e) => setResolution(e.target.value)} data-testid="policy-resolution" />
        </label>
      </div>
      <div className="sla-hours-row">
        <label className="inline">
          <input type="checkbox" checked={useHours} onChange={(e) => setUseHours(e.target.checked)} data-testid="policy-use-hours" />
          {t("policyHours")}
        </label>
        {policy && policy.business_hours && (
          <span className={`badge ${policy.open_now ? "ok" : ""}`}>{policy.open_now ? t("policyOpenNow") : t("policyClosedNow")}</span>
        )}
      </div>
      {useHours && (
        <fieldset className="sla-hours">
          <label>
            {t("policyZone")}
            <input value={zone} onChange={(e) => setZone(e.target.value)} data-testid="policy-zone" />
          </label>
          <p className="muted">{t("policyDayHelp")}</p>
          {WEEKDAYS.map((w) => (
            <label key={w} className="sla-day">
              <span>{t(`day_${w}`)}</span>
              <input
                value={days[w]}
                onChange={(e) => setDays((d) => ({ ...d, [w]: e.target.value }))}
                placeholder="09:00-18:00"
                data-testid={`policy-day-${w}`}
              />
            </label>
          ))}
          <label>
            {t("policyHolidays")}
            <input value={holidays} onChange={(e) => setHolidays(e.target.value)} placeholder="2026-10-01, 2026-10-02" data-testid="policy-holidays" />
          </label>
        </fieldset>
      )}
      <h3>{t("retentionTitle")}</h3>
      <div className="sla-hours-row">
        <label>
          {t("retentionDays")}
          <input inputMode="numeric" value={keepDays} onChange={(e) => setKeepDays(e.target.value)} data-testid="retention-days" />
        </label>
        <button type="button" onClick={() => void saveRetention()} data-testid="retention-save">
          {t("retentionSave")}
        </button>
        <span className="muted">{t("retentionPurged", { n: purged })}</span>
      </div>
      {retentionDone && (
        <p className="muted" role="status" data-testid="retention-status">
          {retentionDone}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="policy-error">
          {error}
        </p>
      )}
      {done && (
        <p className="muted" role="status" data-testid="policy-status">
          {done}
        </p>
      )}
      <div className="composer-row">
        {policy && !policy.default ? (
          <button type="button" onClick={() => void reset()} disabled={busy}>
            {t("policyReset")}
          </button>
        ) : (
          <span />
        )}
        <button type="button" onClick={p.onClose}>
          {t("close")}
        </button>
        <button type="submit" className="primary" disabled={busy || !brandId}>
          {t("save")}
        </button>
      </div>
    </InboxDialog>
  );
}

function emptyDays(value = ""): Record<Weekday, string> {
  return { mon: value, tue: value, wed: value, thu: value, fri: value, sat: value, sun: value };
}

// The SLA breaches pushed since the page opened, newest first, each dismissable.
export function SlaAlerts(p: { alerts: SlaBreach[]; onDismiss: (a: SlaBreach) => void }) {
  const t = useInboxT();
  const { locale } = useLocale();
  if (p.alerts.length === 0) return null;
  const time = (iso: string) => new Date(iso).toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  return (
    <div className="sla-alerts" role="region" aria-label={t("alertsLabel")} data-testid="sla-alerts">
      {p.alerts.map((a) => (
        <div key={`${a.thread_id}-${a.sla}`} className="sla-alert" role="alert" data-testid="sla-alert" data-thread-id={a.thread_id}>
          <span>{t(`breach_${a.sla}`, { time: time(a.due) })}</span>
          <Link to={`/inbox/${a.thread_id}`}>{t("breachOpen")}</Link>
          <button type="button" className="link-button" onClick={() => p.onDismiss(a)}>
            {t("dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}
