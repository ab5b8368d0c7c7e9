// Connecting and reconnecting accounts. OAuth platforms: POST .../accounts/connect, then the
// browser goes to the platform's consent screen (the sandbox's, on a sandbox server) and comes
// back through GET /api/v1/oauth/callback, which redirects to /accounts?connected=<id> or
// /accounts?connect_error=<code>&detail=<why>. Credential platforms (Bluesky app passwords,
// WeChat AppID/AppSecret, assisted platforms' handles) use a form posted to .../credentials.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, describeError, newIdempotencyKey } from "../../api";
import { useSession } from "../../session";
import { platformName, useAccountsT } from "./parts";
import type { Account, ConnectStart, PlatformInfo } from "./types";

const PENDING_KEY = "herald.accounts.connecting";

// What was started before the browser left for the consent screen, to word the outcome.
export interface PendingConnect {
  brand_id: string;
  platform: string;
  account_id?: string; // set when reconnecting an account
  at: number;
}

export function readPending(): PendingConnect | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as PendingConnect;
    return Date.now() - p.at < 15 * 60 * 1000 ? p : null;
  } catch {
    return null;
  }
}

export function clearPending() {
  sessionStorage.removeItem(PENDING_KEY);
}

// Starts a connection. For OAuth the browser leaves for authorize_url (the promise then never
// matters); for credentials the caller shows the form for `fields`.
export async function startConnect(brandId: string, platform: string, accountId?: string): Promise<ConnectStart> {
  const start = await api.post<ConnectStart>(`/api/v1/brands/${brandId}/accounts/connect`, { platform });
  if (start.mode === "oauth" && start.authorize_url) {
    const pending: PendingConnect = { brand_id: brandId, platform, account_id: accountId, at: Date.now() };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    window.location.assign(start.authorize_url);
  }
  return start;
}

export function CredentialsForm({
  brandId,
  platform,
  start,
  platforms,
  onConnected,
  onCancel,
}: {
  brandId: string;
  platform: string;
  start: ConnectStart;
  platforms: PlatformInfo[];
  onConnected: (a: Account) => void;
  onCancel: () => void;
}) {
  const t = useAccountsT();
  const [identifier, setIdentifier] = useState("");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const key = useRef(newIdempotencyKey());
  const first = useRef<HTMLInputElement>(null);
  const needsSecret = (start.fields ?? []).includes("secret");
  const name = platformName(platforms, platform);

  useEffect(() => first.current?.focus(), []);

  const idLabel = platform === "wechat" ? t("wechatAppId") : platform === "bluesky" ? t("blueskyHandle") : t("handle");
  const secretLabel = platform === "wechat" ? t("wechatAppSecret") : platform === "bluesky" ? t("blueskyAppPassword") : t("secret");
  const hint = platform === "bluesky" ? t("blueskyHint") : platform === "wechat" ? t("wechatHint") : needsSecret ? "" : t("assistedHint");
  const sandboxHint = start.sandbox
    ? platform === "wechat"
      ? t("sandboxWechatHint")
      : needsSecret
        ? t("sandboxSecretHint")
        : ""
    : "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      const body: Record<string, string> = { platform, identifier: identifier.trim() };
      if (needsSecret) body.secret = secret;
      const a = await api.post<Account>(`/api/v1/brands/${brandId}/accounts/credentials`, body, {
        idempotencyKey: key.current,
      });
      onConnected(a);
    } catch (err) {
      key.current = newIdempotencyKey(); // a refused attempt may be retried with other values
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack acc-credentials" onSubmit={(e) => void submit(e)} aria-label={t("credentialsFor", { platform: name })}>
      <p className="muted">{t("credentialsIntro", { platform: name })}</p>
      {hint && <p className="muted">{hint}</p>}
      {sandboxHint && <p className="sandbox-note">{sandboxHint}</p>}
      <label>
        {idLabel}
        <input
          ref={first}
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          required
          maxLength={300}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      {needsSecret && (
        <label>
          {secretLabel}
          <input
            type="password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required
            maxLength={2000}
            autoComplete="new-password"
          />
        </label>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !identifier.trim() || (needsSecret && !secret)}>
          {busy ? t("connecting") : t("connectSubmit", { platform: name })}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

// The "Connect an account" panel: brand, platform, then the consent screen or the form.
export function ConnectPanel({
  platforms,
  initialBrand,
  initialPlatform,
  onClose,
  onConnected,
}: {
  platforms: PlatformInfo[];
  initialBrand: string;
  initialPlatform: string;
  onClose: () => void;
  onConnected: (a: Account) => void;
}) {
  const t = useAccountsT();
  const { brands, can } = useSession();
  const manageable = brands.filter((b) => can("account.manage", b.id));
  const [brandId, setBrandId] = useState(
    manageable.some((b) => b.id === initialBrand) ? initialBrand : (manageable[0]?.id ?? ""),
  );
  const [platform, setPlatform] = useState(initialPlatform || platforms[0]?.platform || "");
  const [start, setStart] = useState<ConnectStart | null>(null);
  const [busy, setBusy] = useState<"" | "starting" | "leaving">("");
  const [error, setError] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (!platform && platforms[0]) setPlatform(platforms[0].platform);
  }, [platforms, platform]);

  const go = async (e: FormEvent) => {
    e.preventDefault();
    setError("");
    setBusy("starting");
    try {
      const s = await startConnect(brandId, platform);
      if (s.mode === "oauth") {
        setBusy("leaving");
        return;
      }
      setStart(s);
    } catch (err) {
      setError(describeError(err));
    }
    setBusy("");
  };

  const byMode = (mode: "api" | "assisted") => platforms.filter((p) => p.publishing === mode);

  return (
    <section className="card acc-connect" aria-labelledby="acc-connect-title" data-testid="connect-panel">
      <div className="acc-connect-head">
        <h2 id="acc-connect-title" ref={heading} tabIndex={-1}>
          {t("connectTitle")}
        </h2>
        <button type="button" className="link-button" onClick={onClose}>
          {t("close")}
        </button>
      </div>
      {!start ? (
        <form className="stack" onSubmit={(e) => void go(e)}>
          <p className="muted">{t("connectIntro")}</p>
          <div className="acc-connect-fields">
            <label>
              {t("brand")}
              <select value={brandId} onChange={(e) => setBrandId(e.target.value)} required>
                {manageable.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("platform")}
              <select value={platform} onChange={(e) => setPlatform(e.target.value)} required>
                <optgroup label={t("platformsApi")}>
                  {byMode("api").map((p) => (
                    <option key={p.platform} value={p.platform}>
                      {p.display_name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t("platformsAssisted")}>
                  {byMode("assisted").map((p) => (
                    <option key={p.platform} value={p.platform}>
                      {p.display_name}
                    </option>
                  ))}
                </optgroup>
              </select>
            </label>
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {busy === "leaving" && (
            <p role="status" className="muted">
              {t("goingToConsent", { platform: platformName(platforms, platform) })}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={!brandId || !platform || busy !== ""}>
              {busy ? t("connecting") : t("continue")}
            </button>
          </div>
        </form>
      ) : (
        <CredentialsForm
          brandId={brandId}
          platform={platform}
          start={start}
          platforms={platforms}
          onConnected={onConnected}
          onCancel={() => setStart(null)}
        />
      )}
    </section>
  );
}
