// The lockdown switch: a scope, a reason and an optional expiry; the blast-radius preview
// (POST /api/v1/crisis/freezes/preview) before anything changes; a confirmation of the scope and
// the count; then the freeze (POST /api/v1/crisis/freezes) and its acknowledgement: when the
// fence stood, what was in flight and cannot be recalled, and how much is held.
import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, api, describeError, newIdempotencyKey } from "../../api";
import { useScopeLabel } from "../../components/FreezeBanner";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import type { FreezeScope } from "../../lib/freezes";
import { useSession } from "../../session";
import { accountLabel, useDates, useFreezePermission } from "./data";
import { messages } from "./messages";
import { PreviewView, totalText } from "./Preview";
import { browserZone, isoUtc } from "./time";
import type { AccountInfo, FreezeAck, FreezePreview, PlatformInfo } from "./types";

type Kind = FreezeScope["kind"];
const KINDS: { kind: Kind; label: "kindAll" | "kindBrand" | "kindPlatform" | "kindAccount" | "kindCampaign" | "kindTag" }[] = [
  { kind: "all", label: "kindAll" },
  { kind: "brand", label: "kindBrand" },
  { kind: "platform", label: "kindPlatform" },
  { kind: "account", label: "kindAccount" },
  { kind: "campaign", label: "kindCampaign" },
  { kind: "tag", label: "kindTag" },
];

type Step = "edit" | "confirm" | "done";

export function LockdownSwitch({
  platforms,
  accounts,
  accountsById,
  onChanged,
  isStillActive,
}: {
  platforms: PlatformInfo[];
  accounts: AccountInfo[];
  accountsById: Map<string, AccountInfo>;
  onChanged: () => void;
  isStillActive: (freezeId: string) => boolean;
}) {
  const t = useT(messages);
  const tc = useT(common);
  const d = useDates();
  const { brands, brandId, can } = useSession();
  const { canOver } = useFreezePermission();
  const freezeBrands = brands.filter((b) => can("crisis.freeze", b.id));
  const platformName = (p: string) => platforms.find((x) => x.platform === p)?.display_name;
  const label = useScopeLabel({
    account: (id) => (accountsById.has(id) ? accountLabel(accountsById.get(id), id) : undefined),
    platform: platformName,
  });

  const [kind, setKind] = useState<Kind>(brandId && can("crisis.freeze", brandId) ? "brand" : "all");
  const [brand, setBrand] = useState(brandId && can("crisis.freeze", brandId) ? brandId : "");
  const [platform, setPlatform] = useState("");
  const [accountBrand, setAccountBrand] = useState(brandId);
  const [account, setAccount] = useState("");
  const [campaign, setCampaign] = useState("");
  const [tag, setTag] = useState("");
  const [reason, setReason] = useState("");
  const [withExpiry, setWithExpiry] = useState(false);
  const [expiry, setExpiry] = useState("");

  const [step, setStep] = useState<Step>("edit");
  const [preview, setPreview] = useState<FreezePreview | null>(null);
  const [previewKey, setPreviewKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [ack, setAck] = useState<FreezeAck | null>(null);
  const [unacked, setUnacked] = useState("");
  const idempotency = useRef("");
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const ackHeading = useRef<HTMLHeadingElement>(null);

  const scope: FreezeScope | null = useMemo(() => {
    switch (kind) {
      case "all":
        return { kind };
      case "brand":
        return brand ? { kind, value: brand } : null;
      case "platform":
        return platform ? { kind, value: platform } : null;
      case "account":
        return account ? { kind, value: account } : null;
      case "campaign":
        return campaign.trim() ? { kind, value: campaign.trim() } : null;
      case "tag":
        return tag.trim() ? { kind, value: tag.trim() } : null;
    }
  }, [kind, brand, platform, account, campaign, tag]);
  const scopeKey = scope ? `${scope.kind}:${scope.value ?? ""}` : "";
  const scopeBrand = kind === "brand" ? brand : kind === "account" ? accountsById.get(account)?.brand_id ?? null : null;
  const allowed = scope ? canOver(scope, scopeBrand) : true;
  const previewFresh = preview !== null && previewKey === scopeKey;
  const brandAccounts = accounts.filter((a) => a.brand_id === accountBrand);

  useEffect(() => {
    if (step === "confirm") confirmHeading.current?.focus();
    if (step === "done") ackHeading.current?.focus();
  }, [step]);

  const runPreview = async () => {
    if (!scope) return setError(t("needScopeValue"));
    setBusy(true);
    setError("");
    try {
      const p = await api.post<FreezePreview>("/api/v1/crisis/freezes/preview", { scope });
      setPreview(p);
      setPreviewKey(scopeKey);
    } catch (e) {
      setPreview(null);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const toConfirm = () => {
    if (!reason.trim()) return setError(t("needReason"));
    setError("");
    setConfirmed(false);
    idempotency.current = newIdempotencyKey();
    setStep("confirm");
  };

  const expiresIso = withExpiry && expiry ? isoUtc(new Date(expiry).getTime()) : undefined;

  const setFreeze = async () => {
    if (!scope) return;
    setBusy(true);
    setError("");
    setUnacked("");
    try {
      const body: Record<string, unknown> = { scope, reason };
      if (expiresIso) body.expires_at = expiresIso;
      const a = await api.post<FreezeAck>("/api/v1/crisis/freezes", body, { idempotencyKey: idempotency.current });
      setAck(a);
      setStep("done");
      onChanged();
    } catch (e) {
      if (e instanceof ApiError && e.status === 503 && typeof e.problem.freeze_id === "string") {
        setUnacked(e.problem.freeze_id);
        onChanged();
      }
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setStep("edit");
    setAck(null);
    setPreview(null);
    setPreviewKey("");
    setReason("");
    setWithExpiry(false);
    setExpiry("");
    setConfirmed(false);
    setError("");
    setUnacked("");
  };

  if (step === "done" && ack) {
    const a = ack.acknowledgement;
    return (
      <div className="crisis-ack stack" data-testid="freeze-ack">
        <h3 ref={ackHeading} tabIndex={-1}>
          {t("ackTitle")}
        </h3>
        <p>
          <strong>{label(ack.freeze)}</strong> · {ack.freeze.reason}
        </p>
        <p data-testid="ack-time">
          {t("ackAt", {
            time: d.dateTime(a.acknowledged_at),
            ms: a.ack_ms === null ? "?" : a.ack_ms.toFixed(1),
            epoch: a.epoch,
          })}
        </p>
        <p data-testid="ack-held">{t("ackHeld", { n: ack.held.total })}</p>
        {a.in_flight.length === 0 ? (
          <p className="muted" data-testid="ack-in-flight">
            {t("ackNoInFlight")}
          </p>
        ) : (
          <div className="crisis-scroll" data-testid="ack-in-flight">
            <p>{t("ackInFlight", { n: a.in_flight.length })}</p>
            <InFlightTable sends={a.in_flight} />
          </div>
        )}
        <details>
          <summary>{t("ackDetails")}</summary>
          <PreviewView held={ack.held} accounts={accountsById} platforms={platforms} acknowledged />
        </details>
        {!isStillActive(ack.freeze.id) && <p className="muted">{t("ackEnded")}</p>}
        <div className="row">
          <button type="button" onClick={reset}>
            {t("another")}
          </button>
        </div>
      </div>
    );
  }

  if (step === "confirm" && scope && preview) {
    return (
      <div className="crisis-confirm stack" role="group" aria-labelledby="crisis-confirm-h" data-testid="freeze-confirm">
        <h3 id="crisis-confirm-h" ref={confirmHeading} tabIndex={-1}>
          {t("confirmTitle")}
        </h3>
        <p className="muted">{t("confirmIntro")}</p>
        <dl className="crisis-dl">
          <dt>{t("confirmScope")}</dt>
          <dd data-testid="confirm-scope">{label({ scope, brand_id: scopeBrand })}</dd>
          <dt>{t("confirmCount")}</dt>
          <dd data-testid="confirm-count">
            {totalText(t, preview.held.total)} · {t("preview72", { n: preview.held.next_72h })}
          </dd>
          <dt>{t("confirmReason")}</dt>
          <dd>{reason}</dd>
          <dt>{t("confirmExpires")}</dt>
          <dd>{expiresIso ? d.dateTime(expiresIso) : t("never")}</dd>
        </dl>
        <label className="crisis-check">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          <span>{t("confirmCheck", { scope: label({ scope, brand_id: scopeBrand }), n: preview.held.total })}</span>
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {unacked && (
          <p className="error" role="alert">
            {t("notAcked", { id: unacked })}
          </p>
        )}
        <div className="row">
          <button type="button" onClick={() => setStep("edit")} disabled={busy}>
            {t("back")}
          </button>
          <button type="button" className="danger" onClick={() => void setFreeze()} disabled={!confirmed || busy || !!unacked}>
            {busy ? t("freezing") : t("freezeNow")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void runPreview();
      }}
    >
      <fieldset className="crisis-scope">
        <legend>{t("scope")}</legend>
        {KINDS.map((k) => (
          <label key={k.kind} className="crisis-radio">
            <input
              type="radio"
              name="freeze-kind"
              value={k.kind}
              checked={kind === k.kind}
              onChange={() => {
                setKind(k.kind);
                setError("");
              }}
            />
            <span>{t(k.label)}</span>
          </label>
        ))}
      </fieldset>

      {kind === "brand" && (
        <label>
          {t("pickBrand")}
          <select value={brand} onChange={(e) => setBrand(e.target.value)}>
            <option value="">{t("choose")}</option>
            {freezeBrands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === "platform" && (
        <label>
          {t("pickPlatform")}
          <select value={platform} onChange={(e) => setPlatform(e.target.value)}>
            <option value="">{t("choose")}</option>
            {platforms.map((p) => (
              <option key={p.platform} value={p.platform}>
                {p.display_name}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === "account" && (
        <div className="row crisis-account-pick">
          <label>
            {t("accountBrand")}
            <select
              value={accountBrand}
              onChange={(e) => {
                setAccountBrand(e.target.value);
                setAccount("");
              }}
            >
              <option value="">{t("choose")}</option>
              {freezeBrands.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("pickAccount")}
            <select value={account} onChange={(e) => setAccount(e.target.value)} disabled={!accountBrand}>
              <option value="">{t("choose")}</option>
              {brandAccounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLabel(a, a.id)}
                  {a.sandbox ? ` (${t("sandbox")})` : ""}
                </option>
              ))}
            </select>
          </label>
          {accountBrand && brandAccounts.length === 0 && <p className="muted">{t("noAccounts")}</p>}
        </div>
      )}
      {kind === "campaign" && (
        <label>
          {t("campaignId")}
          <input value={campaign} onChange={(e) => setCampaign(e.target.value)} spellCheck={false} />
          <span className="muted crisis-hint">{t("campaignHint")}</span>
        </label>
      )}
      {kind === "tag" && (
        <label>
          {t("tag")}
          <input value={tag} onChange={(e) => setTag(e.target.value)} maxLength={100} />
        </label>
      )}
      {scope && !allowed && <p className="error">{t("orgWideNeedsAll")}</p>}

      <label>
        {t("reason")}
        <textarea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={2000}
          aria-required="true"
          aria-describedby="crisis-reason-hint"
          className="crisis-reason"
        />
        <span id="crisis-reason-hint" className="muted crisis-hint">
          {t("reasonHint")}
        </span>
      </label>

      <label className="crisis-check">
        <input type="checkbox" checked={withExpiry} onChange={(e) => setWithExpiry(e.target.checked)} />
        <span>{t("expires")}</span>
      </label>
      {withExpiry && (
        <label>
          {t("expiresAt", { zone: browserZone() })}
          <input type="datetime-local" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </label>
      )}
      {!withExpiry && <p className="muted crisis-hint">{t("expiresHint")}</p>}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !scope}>
          {busy ? t("previewing") : t("preview")}
        </button>
      </div>

      {preview && !previewFresh && <p className="muted">{t("stalePreview")}</p>}
      {preview && previewFresh && (
        <section className="card crisis-preview-card" aria-labelledby="crisis-preview-h">
          <h3 id="crisis-preview-h">
            {t("previewTitle")}: {label({ scope: preview.scope, brand_id: scopeBrand })}
          </h3>
          <PreviewView held={preview.held} accounts={accountsById} platforms={platforms} testId="freeze-preview" />
          <p className="muted crisis-hint">{t("previewNote")}</p>
          <div className="row">
            <button type="button" className="danger" onClick={toConfirm} disabled={!allowed}>
              {t("continue")}
            </button>
            <button
              type="button"
              onClick={() => {
                setPreview(null);
                setPreviewKey("");
              }}
            >
              {tc("cancel")}
            </button>
          </div>
        </section>
      )}
    </form>
  );
}

export function InFlightTable({ sends }: { sends: { send_key: string; worker: string; started_at: string }[] }) {
  const t = useT(messages);
  const d = useDates();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t("colSendKey")}</th>
          <th scope="col">{t("colWorker")}</th>
          <th scope="col">{t("colStarted")}</th>
        </tr>
      </thead>
      <tbody>
        {sends.map((s) => (
          <tr key={s.send_key}>
            <td>
              <code>{s.send_key}</code>
            </td>
            <td>{s.worker}</td>
            <td>{d.dateTime(s.started_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
