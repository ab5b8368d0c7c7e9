// The account matrix: brands x platforms (GET /api/v1/matrix with its filters), each cell with
// its accounts, their health and the sandbox mark; the connect panel; the outcome of a
// connection that came back from a consent screen.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, describeError, qs } from "../../api";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/i18n";
import { Link } from "../../router";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import { ConnectPanel, clearPending, readPending, type PendingConnect } from "./connect";
import { Avatar, HealthBadge, Reasons, SandboxMark, platformName, useAccountsT } from "./parts";
import type { Account, Filters, Matrix, MatrixAccount, PlatformInfo } from "./types";

interface Outcome {
  connected?: string;
  error?: string;
  detail?: string;
  pending: PendingConnect | null;
}

// Read once when the page opens: what the OAuth callback sent the browser back with.
function readOutcome(): Outcome | null {
  const q = new URLSearchParams(location.search);
  const connected = q.get("connected") ?? undefined;
  const error = q.get("connect_error") ?? undefined;
  if (!connected && !error) return null;
  return { connected, error, detail: q.get("detail") ?? undefined, pending: readPending() };
}

function OutcomeBanner({
  outcome,
  platforms,
  onClose,
}: {
  outcome: Outcome;
  platforms: PlatformInfo[];
  onClose: () => void;
}) {
  const t = useAccountsT();
  const { brands } = useSession();
  const [account, setAccount] = useState<Account | null>(null);
  const [loadError, setLoadError] = useState("");
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!outcome.connected) return;
    api
      .get<Account>(`/api/v1/accounts/${outcome.connected}`)
      .then(setAccount)
      .catch((e) => setLoadError(describeError(e)));
  }, [outcome.connected]);
  useEffect(() => box.current?.focus(), [account, loadError]);

  const pendingPlatform = outcome.pending ? platformName(platforms, outcome.pending.platform) : t("thePlatform");
  if (outcome.error) {
    const text =
      outcome.error === "access_denied"
        ? t("connectDenied", { platform: pendingPlatform })
        : t("connectFailed", { detail: outcome.detail || outcome.error });
    return (
      <div className="acc-outcome error" role="alert" ref={box} tabIndex={-1} data-testid="connect-outcome">
        <p>
          <strong>{t("notConnectedTitle")}</strong> {text}
        </p>
        <button type="button" className="link-button" onClick={onClose}>
          {t("dismiss")}
        </button>
      </div>
    );
  }
  if (!account) {
    return loadError ? (
      <div className="acc-outcome ok" role="status" data-testid="connect-outcome">
        <p>{t("connectedUnknown")}</p>
      </div>
    ) : null;
  }
  const brand = brands.find((b) => b.id === account.brand_id)?.name ?? "";
  const reconnected = outcome.pending?.account_id === account.id;
  const pname = platformName(platforms, account.platform);
  return (
    <div className="acc-outcome ok" role="status" ref={box} tabIndex={-1} data-testid="connect-outcome">
      <p>
        <strong>{reconnected ? t("reconnectedTitle") : t("connectedTitle")}</strong>{" "}
        {t("connectedText", { handle: account.profile.handle, platform: pname, brand })}{" "}
        {account.sandbox && <span>{t("connectedSandbox", { platform: pname })}</span>}
      </p>
      <div className="row">
        <Link to={`/accounts/${account.id}`}>{t("openAccount")}</Link>
        <button type="button" className="link-button" onClick={onClose}>
          {t("dismiss")}
        </button>
      </div>
    </div>
  );
}

function AccountChip({
  a,
  avatar,
  highlight,
}: {
  a: MatrixAccount;
  avatar: string | null;
  highlight: boolean;
}) {
  const t = useAccountsT();
  return (
    <div className={highlight ? "acc-chip just-connected" : "acc-chip"} data-testid={`account-${a.id}`}>
      <Avatar url={avatar} name={a.handle || a.display_name} />
      <div className="acc-chip-body">
        <Link to={`/accounts/${a.id}`} className="acc-handle">
          {a.handle || a.display_name}
        </Link>
        {a.display_name && a.display_name !== a.handle && <span className="acc-display muted">{a.display_name}</span>}
        <div className="acc-badges">
          <HealthBadge level={a.health} />
          {a.status === "assisted" && <span className="badge">{t("statusAssisted")}</span>}
          {a.sandbox && <SandboxMark />}
        </div>
        <Reasons reasons={a.reasons} tokenExpiresAt={a.token_expires_at} />
      </div>
    </div>
  );
}

export function MatrixView({ platforms }: { platforms: PlatformInfo[] }) {
  const t = useAccountsT();
  const tc = useT(common);
  const { brands, brandId, setBrandId, can } = useSession();
  const [filters, setFilters] = useState<Filters>({ platform: "", health: "", status: "" });
  const [showAll, setShowAll] = useState(false);
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [avatars, setAvatars] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);
  const [outcome, setOutcome] = useState<Outcome | null>(readOutcome);
  const [connect, setConnect] = useState<{ brand: string; platform: string } | null>(null);
  const [highlight, setHighlight] = useState(outcome?.connected ?? "");
  const seq = useRef(0);

  // The callback's answer is in the address once: keep it in state, drop it from the address.
  useEffect(() => {
    if (outcome) {
      history.replaceState(null, "", location.pathname);
      clearPending();
    }
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const query = qs({ brand_id: brandId, platform: filters.platform, health: filters.health, status: filters.status });
  const load = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    Promise.all([
      api.get<Matrix>(`/api/v1/matrix${query}`),
      api.get<{ items: Account[] }>(`/api/v1/accounts${query}`),
    ])
      .then(([m, list]) => {
        if (mine !== seq.current) return;
        setMatrix(m);
        const av: Record<string, string> = {};
        for (const a of list.items) if (a.profile.avatar_url) av[a.id] = a.profile.avatar_url;
        setAvatars(av);
        setError("");
      })
      .catch((e) => mine === seq.current && setError(describeError(e)))
      .finally(() => mine === seq.current && setLoading(false));
  }, [query]);

  useEffect(load, [load]);
  useStream((ev) => {
    if (ev.type === "stream.connected") load();
  });

  const canConnect = brands.some((b) => can("account.manage", b.id));
  const filtered = filters.platform !== "" || filters.health !== "" || filters.status !== "";

  // Rows: the brands with (matching) accounts, and, unfiltered, the other brands too (empty rows
  // to connect into). Columns: the platforms in use, or all of them.
  const rows = useMemo(() => {
    if (!matrix) return [];
    const list = [...matrix.brands];
    if (!filtered) {
      for (const b of brands) {
        if ((!brandId || b.id === brandId) && !list.some((r) => r.brand_id === b.id)) {
          list.push({ brand_id: b.id, brand_name: b.name, cells: {} });
        }
      }
    }
    return list.sort((a, b) => a.brand_name.localeCompare(b.brand_name));
  }, [matrix, brands, brandId, filtered]);

  const columns = useMemo(() => {
    if (!matrix) return [];
    if (filters.platform) return [filters.platform];
    if (showAll) return matrix.platforms;
    return matrix.platforms.filter((p) => matrix.brands.some((r) => r.cells[p]));
  }, [matrix, filters.platform, showAll]);

  const all = matrix ? matrix.brands.flatMap((r) => Object.values(r.cells).flatMap((c) => c.accounts)) : [];
  const counts = {
    n: all.length,
    errors: all.filter((a) => a.health === "error").length,
    warnings: all.filter((a) => a.health === "warning").length,
  };
  const anySandbox = all.some((a) => a.sandbox);

  const onConnected = (a: Account) => {
    setConnect(null);
    setOutcome({ connected: a.id, pending: null });
    setHighlight(a.id);
    load();
  };

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));

  return (
    <div className="page acc-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        {matrix && (
          <span className="muted" data-testid="matrix-counts">
            {t("counts", counts)}
          </span>
        )}
        {canConnect && !connect && (
          <button type="button" className="primary acc-connect-button" onClick={() => setConnect({ brand: brandId, platform: "" })}>
            {t("connectButton")}
          </button>
        )}
      </div>

      {outcome && <OutcomeBanner outcome={outcome} platforms={platforms} onClose={() => setOutcome(null)} />}

      {anySandbox && (
        <p className="sandbox-note" data-testid="sandbox-note">
          {tc("sandboxNote")}
        </p>
      )}

      {connect && (
        <ConnectPanel
          key={`${connect.brand}/${connect.platform}`}
          platforms={platforms}
          initialBrand={connect.brand}
          initialPlatform={connect.platform}
          onClose={() => setConnect(null)}
          onConnected={onConnected}
        />
      )}

      <form className="acc-filters" role="search" aria-label={t("filters")} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("brand")}
          <select value={brandId} onChange={(e) => setBrandId(e.target.value)} data-testid="filter-brand">
            <option value="">{t("allBrands")}</option>
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("platform")}
          <select value={filters.platform} onChange={(e) => set("platform", e.target.value)} data-testid="filter-platform">
            <option value="">{t("allPlatforms")}</option>
            {platforms.map((p) => (
              <option key={p.platform} value={p.platform}>
                {p.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("health")}
          <select
            value={filters.health}
            onChange={(e) => set("health", e.target.value as Filters["health"])}
            data-testid="filter-health"
          >
            <option value="">{t("anyHealth")}</option>
            <option value="ok">{t("levelOk")}</option>
            <option value="warning">{t("levelWarning")}</option>
            <option value="error">{t("levelError")}</option>
          </select>
        </label>
        <label>
          {t("status")}
          <select
            value={filters.status}
            onChange={(e) => set("status", e.target.value as Filters["status"])}
            data-testid="filter-status"
          >
            <option value="">{t("anyStatus")}</option>
            <option value="connected">{t("statusConnected")}</option>
            <option value="disconnected">{t("statusDisconnected")}</option>
            <option value="assisted">{t("statusAssisted")}</option>
          </select>
        </label>
        {!filters.platform && (
          <label className="acc-check">
            <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
            {t("showAllPlatforms")}
          </label>
        )}
      </form>

      {error && (
        <p className="error" role="alert">
          {error}{" "}
          <button type="button" onClick={load}>
            {tc("retry")}
          </button>
        </p>
      )}
      {!matrix && loading && <p className="muted">{tc("loading")}</p>}

      {matrix && (rows.length === 0 || columns.length === 0) && (
        <div className="card acc-empty" data-testid="matrix-empty">
          <p>{filtered ? t("emptyFiltered") : t("emptyMatrix")}</p>
          {!filtered && !showAll && rows.length > 0 && (
            <button type="button" onClick={() => setShowAll(true)}>
              {t("showAllPlatforms")}
            </button>
          )}
        </div>
      )}

      {matrix && rows.length > 0 && columns.length > 0 && (
        <div className="acc-matrix-wrap" aria-busy={loading}>
          <table className="acc-matrix" data-testid="matrix">
            <caption className="visually-hidden">{t("matrixCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("brand")}</th>
                {columns.map((p) => (
                  <th scope="col" key={p}>
                    {platformName(platforms, p)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const manage = can("account.manage", r.brand_id);
                const used = columns.filter((p) => r.cells[p]).length;
                return (
                  <tr key={r.brand_id} data-testid={`row-${r.brand_id}`}>
                    <th scope="row" className="acc-brand">
                      {r.brand_name}
                      {used === 0 && <span className="acc-brand-note muted">{t("noAccountsYet")}</span>}
                    </th>
                    {columns.map((p) => {
                      const cell = r.cells[p];
                      const pname = platformName(platforms, p);
                      return (
                        <td
                          key={p}
                          data-label={pname}
                          data-testid={`cell-${r.brand_id}-${p}`}
                          className={cell ? `acc-cell worst-${cell.worst}` : "acc-cell empty"}
                        >
                          {cell ? (
                            cell.accounts.map((a) => (
                              <AccountChip key={a.id} a={a} avatar={avatars[a.id] ?? null} highlight={a.id === highlight} />
                            ))
                          ) : manage ? (
                            <button
                              type="button"
                              className="link-button acc-add"
                              aria-label={t("connectInto", { platform: pname, brand: r.brand_name })}
                              title={t("connectInto", { platform: pname, brand: r.brand_name })}
                              onClick={() => setConnect({ brand: r.brand_id, platform: p })}
                            >
                              +
                            </button>
                          ) : (
                            <span className="muted" aria-label={t("noAccount")}>
                              –
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
