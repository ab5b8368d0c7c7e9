// Campaigns (/campaigns, F7 point 6): the brand's campaigns with their status, dates and budget, and the form
// for a new one; /campaigns/<id> is one campaign (CampaignDetail.tsx). campaign.read to see, campaign.manage
// on the brand to create and change. Live: campaign.changed events on the stream reload the list.
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../../api";
import { common } from "../../i18n/common";
import { useLocale, useT } from "../../i18n/i18n";
import { formatInteger, formatMoney } from "../../lib/ads";
import { CAMPAIGN_STATUSES, campaignsApi, type Campaign } from "../../lib/campaigns";
import { Link, useRoute, useRouter } from "../../router";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import { CampaignDetail } from "./CampaignDetail";
import { CreateCampaign } from "./CreateCampaign";
import { StatusBadge, dateRange } from "./parts";
import { messages } from "./messages";
import "./campaigns.css";

export default function CampaignsPage() {
  const route = useRoute();
  const t = useT(messages);
  const { can } = useSession();
  if (!can("campaign.read", "")) {
    return (
      <div className="page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("noAccess")}</p>
      </div>
    );
  }
  const id = route[1];
  return id ? <CampaignDetail key={id} id={id} /> : <CampaignList />;
}

function CampaignList() {
  const t = useT(messages);
  const tc = useT(common);
  const { locale } = useLocale();
  const { brandId, brands, can } = useSession();
  const { navigate } = useRouter();
  const [status, setStatus] = useState("");
  const [items, setItems] = useState<Campaign[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [creating, setCreating] = useState(false);
  const seq = useRef(0);
  const newButton = useRef<HTMLButtonElement>(null);

  const load = useCallback(() => {
    const mine = ++seq.current;
    campaignsApi
      .list(brandId, status || undefined)
      .then((r) => {
        if (mine !== seq.current) return;
        setItems(r.items);
        setNext(r.next_cursor);
        setError("");
      })
      .catch((e) => mine === seq.current && setError(describeError(e)));
  }, [brandId, status]);
  useEffect(load, [load]);
  useStream((e) => {
    if (e.type === "stream.connected" || e.type === "campaign.changed") load();
  });

  const more = () => {
    if (!next) return;
    campaignsApi
      .list(brandId, status || undefined, next)
      .then((r) => {
        setItems((cur) => [...(cur ?? []), ...r.items]);
        setNext(r.next_cursor);
      })
      .catch((e) => setError(describeError(e)));
  };

  const canCreate = brands.some((b) => can("campaign.manage", b.id) && (!brandId || b.id === brandId));
  const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? "";

  return (
    <div className="page camp-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        <label className="camp-inline">
          {t("statusFilter")}
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="campaign-status-filter">
            <option value="">{t("allStatuses")}</option>
            {CAMPAIGN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status_${s}`)}
              </option>
            ))}
          </select>
        </label>
        {canCreate && !creating && (
          <button type="button" className="primary camp-new" ref={newButton} onClick={() => setCreating(true)}>
            {t("newCampaign")}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {t("loadError", { error })}
        </p>
      )}
      {creating && (
        <CreateCampaign
          onCancel={() => {
            setCreating(false);
            setTimeout(() => newButton.current?.focus());
          }}
          onCreated={(c) => {
            setCreating(false);
            navigate(`/campaigns/${c.id}`);
          }}
        />
      )}

      <section className="card" aria-labelledby="camp-list-h">
        <h2 id="camp-list-h" className="visually-hidden">
          {t("title")}
        </h2>
        {items === null ? (
          <p className="muted">{tc("loading")}</p>
        ) : items.length === 0 ? (
          <p className="muted">{status ? t("emptyFiltered") : t("empty")}</p>
        ) : (
          <div className="camp-scroll">
            <table className="camp-table" data-testid="campaign-list">
              <thead>
                <tr>
                  <th scope="col">{t("colName")}</th>
                  {!brandId && <th scope="col">{t("colBrand")}</th>}
                  <th scope="col">{t("colType")}</th>
                  <th scope="col">{t("colStatus")}</th>
                  <th scope="col">{t("colDates")}</th>
                  <th scope="col" className="num">
                    {t("colBudget")}
                  </th>
                  <th scope="col" className="num">
                    {t("colLinks")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-testid={`campaign-row-${c.id}`}>
                    <th scope="row">
                      <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                    </th>
                    {!brandId && <td>{brandName(c.brand_id)}</td>}
                    <td>{t(`type_${c.type}`)}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td>{dateRange(c, t, locale)}</td>
                    <td className="num">
                      {c.budget ? formatMoney(c.budget.amount_minor, c.budget.currency, locale) : <span className="muted">{t("noBudget")}</span>}
                    </td>
                    <td className="num">{formatInteger(c.links.clicks, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {next && (
          <button type="button" onClick={more}>
            {t("more")}
          </button>
        )}
      </section>
    </div>
  );
}
