// Connecting an ad account (POST /api/v1/ads/accounts, ads.manage): a connected Facebook account whose token
// reads Meta's Marketing API, the ad account's id (act_...) and how many days to read back. The first read
// runs in the background; the dashboard shows its progress.
import { useState, type FormEvent } from "react";
import { api, describeError, newIdempotencyKey } from "../../api";
import { useT } from "../../i18n/i18n";
import { accountLabel, type Account } from "../../lib/accounts";
import { messages } from "./messages";

const ADS_PLATFORMS = ["facebook"]; // the adapters with has_ads

export function ConnectAdAccount({ social, onConnected }: { social: Account[]; onConnected: () => void }) {
  const t = useT(messages);
  const candidates = social.filter((a) => ADS_PLATFORMS.includes(a.platform));
  const [accountId, setAccountId] = useState("");
  const [external, setExternal] = useState("");
  const [days, setDays] = useState("30");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState(false);
  const chosen = accountId || candidates[0]?.id || "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    setDone(false);
    try {
      await api.post(
        "/api/v1/ads/accounts",
        { account_id: chosen, external_id: external.trim(), backfill_days: Number(days) || 30 },
        { idempotencyKey: newIdempotencyKey() },
      );
      setDone(true);
      setExternal("");
      onConnected();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card ads-section ads-connect">
      <summary>
        <h2>{t("connectTitle")}</h2>
      </summary>
      {candidates.length === 0 ? (
        <p className="muted">{t("connectNoAccounts")}</p>
      ) : (
        <form className="ads-ab-form" onSubmit={submit}>
          <label>
            {t("connectAccount")}
            <select value={chosen} onChange={(e) => setAccountId(e.target.value)}>
              {candidates.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLabel(a)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("connectExternal")}
            <input
              value={external}
              onChange={(e) => setExternal(e.target.value)}
              required
              pattern="act_[0-9]+|[0-9]+"
              placeholder="act_1234567890"
              aria-describedby="ads-connect-hint"
            />
            <span id="ads-connect-hint" className="muted ads-hint">
              {t("connectExternalHint")}
            </span>
          </label>
          <label>
            {t("connectDays")}
            <input type="number" min={1} max={400} value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || !chosen}>
            {t("connectSubmit")}
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="notice ok" role="status">
          {t("connected")}
        </p>
      )}
    </details>
  );
}
