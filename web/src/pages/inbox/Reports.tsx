// The inbox reports for a period (GET /api/v1/inbox/reports): response times and SLA outcomes
// per brand, what each person answered, messages and complaints per day, categories and the
// words written about most. Numbers come from the server as they are; nothing is estimated here.
import { useEffect, useState } from "react";
import { api, describeError, qs } from "../../api";
import { useSession } from "../../session";
import { InboxDialog, useDialogFocus } from "./Dialog";
import { useInboxT } from "./messages";
import { formatSpan } from "./types";

interface InboxReport {
  from: string;
  to: string;
  brands: {
    brand_id: string;
    threads: number;
    answered: number;
    first_response_median_s: number | null;
    first_response_p90_s: number | null;
    first_response_met: number;
    first_response_missed: number;
    resolved: number;
    resolution_met: number;
    resolution_missed: number;
  }[];
  agents: { user_id: string; name: string; replies: number; sent: number; first_responses: number; first_response_median_s: number | null; first_response_met: number }[];
  days: { day: string; messages: number; complaints: number; negative: number }[];
  categories: Record<string, number>;
  top_terms: { term: string; messages: number }[];
}

const span = (s: number | null) => (s === null ? "—" : formatSpan(s * 1000));

export function ReportsDialog(p: { brandIds: string[]; initialBrand: string; onClose: () => void }) {
  const t = useInboxT();
  const { brands } = useSession();
  const [brandId, setBrandId] = useState(p.initialBrand && p.brandIds.includes(p.initialBrand) ? p.initialBrand : "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [report, setReport] = useState<InboxReport | null>(null);
  const [error, setError] = useState("");
  const first = useDialogFocus<HTMLSelectElement>();
  useEffect(() => {
    let live = true;
    setError("");
    api
      .get<InboxReport>(`/api/v1/inbox/reports${qs({ brand_id: brandId || undefined, from: from || undefined, to: to || undefined })}`)
      .then((r) => {
        if (!live) return;
        setReport(r);
        if (!from) setFrom(r.from);
        if (!to) setTo(r.to);
      })
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [brandId, from, to]);
  const name = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
  const peak = Math.max(1, ...(report?.days ?? []).map((d) => d.messages));

  return (
    <InboxDialog className="reports-dialog" labelledBy="reports-title" testId="reports" onClose={p.onClose}>
      <h2 id="reports-title">{t("reportsTitle")}</h2>
      <div className="reports-filters">
        <label>
          {t("policyBrand")}
          <select ref={first} value={brandId} onChange={(e) => setBrandId(e.target.value)}>
            <option value="">{t("reportsAllBrands")}</option>
            {p.brandIds.map((id) => (
              <option key={id} value={id}>
                {name(id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reportsFrom")}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="reports-from" />
        </label>
        <label>
          {t("reportsTo")}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="reports-to" />
        </label>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="reports-error">
          {error}
        </p>
      )}
      {report === null && !error && <p className="muted">{t("loading")}</p>}
      {report && (
        <>
          <h3>{t("reportsBrands")}</h3>
          {report.brands.length === 0 ? (
            <p className="muted">{t("reportsNone")}</p>
          ) : (
            <table className="report-table" data-testid="report-brands">
              <thead>
                <tr>
                  <th>{t("policyBrand")}</th>
                  <th>{t("reportsThreads")}</th>
                  <th>{t("reportsAnswered")}</th>
                  <th>{t("reportsMedian")}</th>
                  <th>{t("reportsP90")}</th>
                  <th>{t("reportsFirstSla")}</th>
                  <th>{t("reportsResolutionSla")}</th>
                </tr>
              </thead>
              <tbody>
                {report.brands.map((b) => (
                  <tr key={b.brand_id} data-testid="report-brand" data-brand-id={b.brand_id}>
                    <td>{name(b.brand_id)}</td>
                    <td data-testid="report-threads">{b.threads}</td>
                    <td data-testid="report-answered">{b.answered}</td>
                    <td>{span(b.first_response_median_s)}</td>
                    <td>{span(b.first_response_p90_s)}</td>
                    <td>{t("reportsMetMissed", { met: b.first_response_met, missed: b.first_response_missed })}</td>
                    <td>{t("reportsMetMissed", { met: b.resolution_met, missed: b.resolution_missed })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t("reportsAgents")}</h3>
          {report.agents.length === 0 ? (
            <p className="muted">{t("reportsNone")}</p>
          ) : (
            <table className="report-table" data-testid="report-agents">
              <thead>
                <tr>
                  <th>{t("reportsAgent")}</th>
                  <th>{t("reportsReplies")}</th>
                  <th>{t("reportsFirstResponses")}</th>
                  <th>{t("reportsMedian")}</th>
                </tr>
              </thead>
              <tbody>
                {report.agents.map((a) => (
                  <tr key={a.user_id} data-testid="report-agent">
                    <td>{a.name}</td>
                    <td data-testid="report-replies">{a.replies}</td>
                    <td>{a.first_responses}</td>
                    <td>{span(a.first_response_median_s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t("reportsDays")}</h3>
          <ul className="report-days" data-testid="report-days">
            {report.days.map((d) => (
              <li key={d.day} title={t("reportsDayTitle", { messages: d.messages, complaints: d.complaints })}>
                <span className="report-day">{d.day}</span>
                <span className="report-bar">
                  <span style={{ width: `${(100 * d.messages) / peak}%` }} />
                  <span className="complaints" style={{ width: `${(100 * d.complaints) / peak}%` }} />
                </span>
                <span className="muted">{t("reportsDayTitle", { messages: d.messages, complaints: d.complaints })}</span>
              </li>
            ))}
          </ul>
          <h3>{t("reportsTerms")}</h3>
          <p className="report-terms" data-testid="report-terms">
            {report.top_terms.map((x) => (
              <span key={x.term} className="badge" data-testid="report-term">
                {x.term} · {x.messages}
              </span>
            ))}
            {report.top_terms.length === 0 && <span className="muted">{t("reportsNone")}</span>}
          </p>
          <p className="muted">
            {Object.entries(report.categories)
              .map(([k, n]) => `${t(`category_${k as "inquiry"}`)}: ${n}`)
              .join(" · ")}
          </p>
        </>
      )}
      <button type="button" onClick={p.onClose}>
        {t("close")}
      </button>
    </InboxDialog>
  );
}
