// One account: profile, health (with the reasons), positioning, health events, and the actions
// the caller may take: check (account.read), refresh, reconnect, edit and disconnect (account.manage).
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, api, describeError, request } from "../../api";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { CredentialsForm, startConnect } from "./connect";
import { Avatar, HealthBadge, Reasons, SandboxMark, platformName, useAccountsT, useFormatDate, type T } from "./parts";
import type { Account, ConnectStart, HealthEvent, PlatformInfo, Positioning } from "./types";

function eventKind(t: T, kind: string): string {
  switch (kind) {
    case "connected":
      return t("evConnected");
    case "refreshed":
      return t("evRefreshed");
    case "refresh_failed":
      return t("evRefreshFailed");
    case "checked":
      return t("evChecked");
    case "check_failed":
      return t("evCheckFailed");
    case "vault_error":
      return t("evVaultError");
    case "disconnected":
      return t("evDisconnected");
    default:
      return kind;
  }
}

function statusLabel(t: T, status: string): string {
  return status === "connected"
    ? t("statusConnected")
    : status === "disconnected"
      ? t("statusDisconnected")
      : status === "assisted"
        ? t("statusAssisted")
        : status;
}

const list = (v: string) =>
  v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

function PositioningForm({
  account,
  etag,
  onSaved,
  onCancel,
}: {
  account: Account;
  etag: string | null;
  onSaved: (a: Account, etag: string | null) => void;
  onCancel: () => void;
}) {
  const t = useAccountsT();
  const pos = account.positioning ?? {};
  const [contact, setContact] = useState(account.profile.contact);
  const [audience, setAudience] = useState(pos.audience ?? "");
  const [content, setContent] = useState(pos.content_positioning ?? "");
  const [goals, setGoals] = useState((pos.goals ?? []).join("\n"));
  const [kpis, setKpis] = useState(
    Object.entries(pos.kpi_targets ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
  );
  const [groups, setGroups] = useState(account.groups.join(", "));
  const [tags, setTags] = useState(account.tags.join(", "));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError("");
    const kpi: Record<string, number> = {};
    for (const line of kpis.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const m = /^(.+?)\s*[:=]\s*(-?[\d.]+)$/.exec(line);
      if (!m || Number.isNaN(Number(m[2]))) {
        setError(t("kpiInvalid", { line }));
        return;
      }
      kpi[m[1].trim()] = Number(m[2]);
    }
    const positioning: Positioning = {
      audience,
      content_positioning: content,
      goals: goals.split("\n").map((g) => g.trim()).filter(Boolean),
      kpi_targets: kpi,
    };
    setBusy(true);
    try {
      const r = await request<Account>(
        "PATCH",
        `/api/v1/accounts/${account.id}`,
        { contact, positioning, groups: list(groups), tags: list(tags) },
        { ifMatch: etag ?? undefined },
      );
      onSaved(r.data, r.etag);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 412 ? t("editConflict") : describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label={t("editPositioning")}>
      <label>
        {t("contact")}
        <input value={contact} onChange={(e) => setContact(e.target.value)} maxLength={500} />
      </label>
      <label>
        {t("audience")}
        <textarea value={audience} onChange={(e) => setAudience(e.target.value)} maxLength={2000} />
      </label>
      <label>
        {t("contentPositioning")}
        <textarea value={content} onChange={(e) => setContent(e.target.value)} maxLength={2000} />
      </label>
      <label>
        {t("goalsOnePerLine")}
        <textarea value={goals} onChange={(e) => setGoals(e.target.value)} />
      </label>
      <label>
        {t("kpiOnePerLine")}
        <textarea value={kpis} onChange={(e) => setKpis(e.target.value)} placeholder="followers: 10000" />
      </label>
      <label>
        {t("groupsCommas")}
        <input value={groups} onChange={(e) => setGroups(e.target.value)} />
      </label>
      <label>
        {t("tagsCommas")}
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t("save")}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

export function AccountDetail({ id, platforms }: { id: string; platforms: PlatformInfo[] }) {
  const t = useAccountsT();
  const tc = useT(common);
  const fmt = useFormatDate();
  const { brands, can } = useSession();
  const [account, setAccount] = useState<Account | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [events, setEvents] = useState<HealthEvent[]>([]);
  const [loadError, setLoadError] = useState("");
  const [busy, setBusy] = useState<"" | "check" | "refresh" | "reconnect" | "disconnect">("");
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [reconnectStart, setReconnectStart] = useState<ConnectStart | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const load = useCallback(async () => {
    try {
      const [r, ev] = await Promise.all([
        request<Account>("GET", `/api/v1/accounts/${id}`),
        api.get<{ items: HealthEvent[] }>(`/api/v1/accounts/${id}/health-events`),
      ]);
      setAccount(r.data);
      setEtag(r.etag);
      setEvents(ev.items);
      setLoadError("");
    } catch (e) {
      setLoadError(describeError(e));
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (loadError && !account) {
    return (
      <div className="page acc-page">
        <Link to="/accounts">{t("backToMatrix")}</Link>
        <p className="error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (!account) return <p className="center-note">{tc("loading")}</p>;

  const a = account;
  const manage = can("account.manage", a.brand_id);
  const read = can("account.read", a.brand_id);
  const pname = platformName(platforms, a.platform);
  const brand = brands.find((b) => b.id === a.brand_id)?.name ?? "";
  const h = a.health;
  const pos = a.positioning ?? {};

  const act = async (kind: "check" | "refresh") => {
    setBusy(kind);
    setNotice(null);
    try {
      if (kind === "check") {
        const r = await api.post<{ ok: boolean; account: Account }>(`/api/v1/accounts/${a.id}/check`);
        setNotice({ ok: r.ok, text: r.ok ? t("checkOk") : t("checkFailed") });
      } else {
        const r = await api.post<{ refreshed: boolean; account: Account }>(`/api/v1/accounts/${a.id}/refresh`);
        setNotice({ ok: r.refreshed, text: r.refreshed ? t("refreshOk") : t("refreshFailed") });
      }
    } catch (e) {
      setNotice({ ok: false, text: describeError(e) });
    } finally {
      setBusy("");
      await load();
    }
  };

  const reconnect = async () => {
    setBusy("reconnect");
    setNotice(null);
    try {
      const s = await startConnect(a.brand_id, a.platform, a.id);
      if (s.mode === "oauth") {
        setNotice({ ok: true, text: t("goingToConsent", { platform: pname }) });
        return; // the browser is leaving for the consent screen
      }
      setReconnectStart(s);
    } catch (e) {
      setNotice({ ok: false, text: describeError(e) });
    }
    setBusy("");
  };

  const disconnect = async () => {
    setBusy("disconnect");
    setNotice(null);
    try {
      await api.del(`/api/v1/accounts/${a.id}`);
      setConfirming(false);
      setNotice({ ok: true, text: t("disconnectedOk", { handle: a.profile.handle }) });
    } catch (e) {
      setNotice({ ok: false, text: describeError(e) });
    } finally {
      setBusy("");
      await load();
    }
  };

  return (
    <div className="page acc-page acc-detail" data-testid="account-detail">
      <Link to="/accounts" className="acc-back">
        {t("backToMatrix")}
      </Link>
      <div className="acc-detail-head">
        <Avatar url={a.profile.avatar_url} name={a.profile.handle || a.profile.display_name} size={56} />
        <div className="stack acc-detail-title">
          <h1>{a.profile.display_name || a.profile.handle}</h1>
          <p className="muted">
            {a.profile.handle} · {pname} · {brand}
          </p>
          <div className="acc-badges">
            <HealthBadge level={h.level} />
            <span className={a.status === "disconnected" ? "badge danger" : "badge"} data-testid="account-status">
              {statusLabel(t, a.status)}
            </span>
            {a.profile.verified && <span className="badge">{t("verified")}</span>}
            {a.sandbox && <SandboxMark />}
          </div>
        </div>
      </div>
      {a.sandbox && (
        <p className="sandbox-note" data-testid="sandbox-note">
          {t("sandboxAccountNote", { platform: pname })}
        </p>
      )}

      {(read || manage) && (
        <div className="row acc-actions" role="group" aria-label={t("actions")}>
          {read && a.status === "connected" && (
            <button type="button" onClick={() => void act("check")} disabled={busy !== ""}>
              {busy === "check" ? t("working") : t("check")}
            </button>
          )}
          {manage && a.status === "connected" && (
            <button type="button" onClick={() => void act("refresh")} disabled={busy !== ""}>
              {busy === "refresh" ? t("working") : t("refresh")}
            </button>
          )}
          {manage && a.status !== "assisted" && (
            <button type="button" onClick={() => void reconnect()} disabled={busy !== ""}>
              {busy === "reconnect" ? t("working") : t("reconnect")}
            </button>
          )}
          {manage && a.status !== "disconnected" && !confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy !== ""}>
              {t("disconnect")}
            </button>
          )}
        </div>
      )}

      {confirming && (
        <div className="card acc-confirm" role="alertdialog" aria-labelledby="acc-confirm-text">
          <p id="acc-confirm-text">{t("disconnectConfirm", { handle: a.profile.handle, platform: pname })}</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              ref={confirmRef}
              onClick={() => void disconnect()}
              disabled={busy !== ""}
            >
              {busy === "disconnect" ? t("working") : t("disconnectYes")}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy !== ""}>
              {t("cancel")}
            </button>
          </div>
        </div>
      )}

      {notice && (
        <p className={notice.ok ? "acc-notice ok" : "acc-notice error"} role={notice.ok ? "status" : "alert"} data-testid="action-notice">
          {notice.text}
        </p>
      )}

      {reconnectStart && (
        <section className="card">
          <h2>{t("reconnect")}</h2>
          <CredentialsForm
            brandId={a.brand_id}
            platform={a.platform}
            start={reconnectStart}
            platforms={platforms}
            onConnected={() => {
              setReconnectStart(null);
              setNotice({ ok: true, text: t("reconnectedText", { handle: a.profile.handle }) });
              void load();
            }}
            onCancel={() => setReconnectStart(null)}
          />
        </section>
      )}

      <div className="acc-detail-grid">
        <section className="card" aria-labelledby="acc-health-h">
          <h2 id="acc-health-h">{t("health")}</h2>
          {h.reasons.length === 0 ? (
            <p>{t("healthAllGood")}</p>
          ) : (
            <Reasons reasons={h.reasons} tokenExpiresAt={h.token_expires_at} />
          )}
          <dl className="acc-dl">
            <dt>{t("tokenExpires")}</dt>
            <dd>{h.token_expires_at ? fmt(h.token_expires_at) : t("tokenNoExpiry")}</dd>
            <dt>{t("lastRefresh")}</dt>
            <dd>{h.last_refresh_at ? fmt(h.last_refresh_at) : tc("none")}</dd>
            <dt>{t("grantedScopes")}</dt>
            <dd>{h.granted_scopes.length ? h.granted_scopes.join(", ") : t("notReported")}</dd>
            <dt>{t("requiredScopes")}</dt>
            <dd>{h.required_scopes.length ? h.required_scopes.join(", ") : tc("none")}</dd>
            {h.missing_scopes.length > 0 && (
              <>
                <dt>{t("missingScopes")}</dt>
                <dd className="acc-warn-text">{h.missing_scopes.join(", ")}</dd>
              </>
            )}
            <dt>{t("restrictions")}</dt>
            <dd>{h.banned ? t("rBanned") : h.restricted ? t("rRestricted") : tc("none")}</dd>
            <dt>{t("lastError")}</dt>
            <dd>
              {h.last_error ? (
                <>
                  {h.last_error}
                  {h.last_error_class && <span className="muted"> ({h.last_error_class})</span>}
                  {h.last_error_at && <span className="muted"> · {fmt(h.last_error_at)}</span>}
                </>
              ) : (
                tc("none")
              )}
            </dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="acc-profile-h">
          <h2 id="acc-profile-h">{t("profile")}</h2>
          <dl className="acc-dl">
            <dt>{t("handle")}</dt>
            <dd>{a.profile.handle}</dd>
            <dt>{t("displayName")}</dt>
            <dd>{a.profile.display_name || tc("none")}</dd>
            <dt>{t("bio")}</dt>
            <dd>{a.profile.bio || tc("none")}</dd>
            <dt>{t("followers")}</dt>
            <dd>{a.profile.followers ?? t("notReported")}</dd>
            <dt>{t("contact")}</dt>
            <dd>{a.profile.contact || tc("none")}</dd>
            <dt>{t("platformAccountId")}</dt>
            <dd className="acc-mono">{a.platform_account_id}</dd>
            <dt>{t("connectedSince")}</dt>
            <dd>{fmt(a.created_at)}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="acc-pos-h">
          <div className="acc-section-head">
            <h2 id="acc-pos-h">{t("positioning")}</h2>
            {manage && !editing && (
              <button type="button" className="link-button" onClick={() => setEditing(true)}>
                {t("edit")}
              </button>
            )}
          </div>
          {editing ? (
            <PositioningForm
              account={a}
              etag={etag}
              onSaved={(next, tag) => {
                setAccount(next);
                setEtag(tag);
                setEditing(false);
                setNotice({ ok: true, text: t("savedOk") });
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <dl className="acc-dl">
              <dt>{t("audience")}</dt>
              <dd>{pos.audience || tc("none")}</dd>
              <dt>{t("contentPositioning")}</dt>
              <dd>{pos.content_positioning || tc("none")}</dd>
              <dt>{t("goals")}</dt>
              <dd>
                {pos.goals?.length ? (
                  <ul className="acc-plain-list">
                    {pos.goals.map((g) => (
                      <li key={g}>{g}</li>
                    ))}
                  </ul>
                ) : (
                  tc("none")
                )}
              </dd>
              <dt>{t("kpiTargets")}</dt>
              <dd>
                {pos.kpi_targets && Object.keys(pos.kpi_targets).length ? (
                  <ul className="acc-plain-list">
                    {Object.entries(pos.kpi_targets).map(([k, v]) => (
                      <li key={k}>
                        {k}: {v}
                      </li>
                    ))}
                  </ul>
                ) : (
                  tc("none")
                )}
              </dd>
              <dt>{t("groups")}</dt>
              <dd>{a.groups.length ? a.groups.join(", ") : tc("none")}</dd>
              <dt>{t("tags")}</dt>
              <dd>{a.tags.length ? a.tags.join(", ") : tc("none")}</dd>
            </dl>
          )}
        </section>
      </div>

      <section className="card acc-events" aria-labelledby="acc-events-h">
        <h2 id="acc-events-h">{t("healthEvents")}</h2>
        {events.length === 0 ? (
          <p className="muted">{t("noEvents")}</p>
        ) : (
          <div className="acc-table-wrap">
            <table data-testid="health-events">
              <thead>
                <tr>
                  <th scope="col">{t("when")}</th>
                  <th scope="col">{t("event")}</th>
                  <th scope="col">{t("details")}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} data-kind={e.kind}>
                    <td className="acc-nowrap">{fmt(e.at)}</td>
                    <td>{eventKind(t, e.kind)}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
