// The blast radius of a freeze (HeldPreview): totals, the next 72 h, the exempt crisis
// statements, counts by brand, platform, account and hour, and the first targets due.
import { useT } from "../../i18n/i18n";
import { useSession } from "../../session";
import { accountLabel, useDates } from "./data";
import { messages, type MessageKey } from "./messages";
import type { AccountInfo, HeldPreview, PlatformInfo } from "./types";

// "1 scheduled target would be held" / "3 scheduled targets held at the acknowledgement".
export function totalText(t: (k: MessageKey, v?: Record<string, string | number>) => string, n: number, acknowledged = false) {
  if (acknowledged) return n === 1 ? t("heldTotalOne") : t("heldTotal", { n });
  return n === 1 ? t("previewTotalOne") : t("previewTotal", { n });
}

function Counts({ title, rows }: { title: string; rows: { key: string; label: string; count: number }[] }) {
  const t = useT(messages);
  if (rows.length === 0) return null;
  return (
    <table className="crisis-counts">
      <caption className="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col" className="num">
            {t("count")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td className="num">{r.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PreviewView({
  held,
  accounts,
  platforms,
  testId,
  acknowledged = false,
}: {
  held: HeldPreview;
  accounts: Map<string, AccountInfo>;
  platforms: PlatformInfo[];
  testId?: string;
  // true: what a freeze held when it was acknowledged; false: what it would hold.
  acknowledged?: boolean;
}) {
  const t = useT(messages);
  const { brands } = useSession();
  const d = useDates();
  const brandName = (id: string) => brands.find((b) => b.id === id)?.name ?? id;
  const platformName = (p: string) => platforms.find((x) => x.platform === p)?.display_name ?? p;
  const maxHour = Math.max(1, ...held.by_hour.map((h) => h.count));
  const anySandbox = held.items.some((i) => accounts.get(i.account_id)?.sandbox);

  return (
    <div className="crisis-preview stack" data-testid={testId}>
      <div className="crisis-totals">
        <p className="crisis-total" data-testid="preview-total">
          <strong>{held.total}</strong> <span>{totalText(t, held.total, acknowledged)}</span>
        </p>
        <p>{t("preview72", { n: held.next_72h })}</p>
        <p>{t("previewExempt", { n: held.exempt })}</p>
      </div>
      {held.total === 0 ? (
        <p className="muted">{t("nothingHeld")}</p>
      ) : (
        <>
          <div className="crisis-breakdown">
            <Counts
              title={t("byBrand")}
              rows={held.by_brand.map((b) => ({ key: b.brand_id, label: brandName(b.brand_id), count: b.count }))}
            />
            <Counts
              title={t("byPlatform")}
              rows={held.by_platform.map((p) => ({ key: p.platform, label: platformName(p.platform), count: p.count }))}
            />
            <Counts
              title={t("byAccount")}
              rows={held.by_account.map((a) => ({
                key: a.account_id,
                label: accountLabel(accounts.get(a.account_id), a.account_id),
                count: a.count,
              }))}
            />
          </div>
          {held.by_hour.length > 0 && (
            <div>
              <h4 className="crisis-subhead">{t("byHour")}</h4>
              <ul className="crisis-hours">
                {held.by_hour.map((h) => (
                  <li key={h.hour}>
                    <span className="crisis-hour-label">{d.hour(h.hour)}</span>
                    <span className="crisis-bar" style={{ width: `${(h.count / maxHour) * 100}%` }} aria-hidden="true" />
                    <span className="num">{h.count}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {held.items.length > 0 && (
            <div className="crisis-scroll">
              <table>
                <caption className="crisis-caption">{t("firstItems")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("colDue")}</th>
                    <th scope="col">{t("colTitle")}</th>
                    <th scope="col">{t("colWhere")}</th>
                    <th scope="col">{t("colState")}</th>
                  </tr>
                </thead>
                <tbody>
                  {held.items.map((i) => (
                    <tr key={i.target_id}>
                      <td>{d.dateTime(i.due_at)}</td>
                      <td>{i.title || t("untitled")}</td>
                      <td>
                        {accountLabel(accounts.get(i.account_id), platformName(i.platform))}{" "}
                        {accounts.get(i.account_id)?.sandbox && <span className="badge warn">{t("sandbox")}</span>}
                      </td>
                      <td>
                        <span className="badge">{i.state}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {held.items_truncated && <p className="muted">{t("moreItems", { shown: held.items.length, n: held.total })}</p>}
            </div>
          )}
          {anySandbox && <p className="sandbox-note">{t("sandboxAccountsNote")}</p>}
        </>
      )}
    </div>
  );
}
