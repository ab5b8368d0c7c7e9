// The shell: sign-in, then the header (brand switcher, language, live status, sign-out), the
// role-aware navigation, the freeze banner on every page, and the page for the address.
import { lazy, Suspense, type ReactNode } from "react";
import { FreezeBanner } from "./components/FreezeBanner";
import { common } from "./i18n/common";
import { LOCALES, LocaleProvider, useLocale, useT, type Locale } from "./i18n/i18n";
import { useActiveFreezes } from "./lib/freezes";
import { LoginPage } from "./pages/LoginPage";
import { Link, RouterProvider, useRoute } from "./router";
import { SessionProvider, useSession } from "./session";
import { StreamProvider, useStreamStatus } from "./stream";

const CalendarPage = lazy(() => import("./pages/calendar/CalendarPage"));
const ComposePage = lazy(() => import("./pages/compose/ComposePage"));
const ApprovalsPage = lazy(() => import("./pages/approvals/ApprovalsPage"));
const InboxPage = lazy(() => import("./pages/inbox/InboxPage"));
const CrisisPage = lazy(() => import("./pages/crisis/CrisisPage"));
const AccountsPage = lazy(() => import("./pages/accounts/AccountsPage"));
const CampaignsPage = lazy(() => import("./pages/campaigns/CampaignsPage"));
const AdsPage = lazy(() => import("./pages/ads/AdsPage"));

interface NavItem {
  to: string;
  label:
    | "navCalendar"
    | "navCompose"
    | "navApprovals"
    | "navInbox"
    | "navCrisis"
    | "navAccounts"
    | "navCampaigns"
    | "navAds";
  permission: string;
  page: () => ReactNode;
}
const NAV: NavItem[] = [
  { to: "/calendar", label: "navCalendar", permission: "post.read", page: () => <CalendarPage /> },
  { to: "/compose", label: "navCompose", permission: "post.write", page: () => <ComposePage /> },
  { to: "/approvals", label: "navApprovals", permission: "post.approve", page: () => <ApprovalsPage /> },
  { to: "/inbox", label: "navInbox", permission: "inbox.read", page: () => <InboxPage /> },
  { to: "/crisis", label: "navCrisis", permission: "crisis.read", page: () => <CrisisPage /> },
  { to: "/accounts", label: "navAccounts", permission: "account.read", page: () => <AccountsPage /> },
  { to: "/campaigns", label: "navCampaigns", permission: "campaign.read", page: () => <CampaignsPage /> },
  { to: "/ads", label: "navAds", permission: "ads.read", page: () => <AdsPage /> },
];

export function App() {
  return (
    <LocaleProvider>
      <RouterProvider>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </RouterProvider>
    </LocaleProvider>
  );
}

function Gate() {
  const { user, ready } = useSession();
  const t = useT(common);
  if (!ready) return <p className="center-note">{t("loading")}</p>;
  if (!user) return <LoginPage />;
  return (
    <StreamProvider enabled>
      <Shell />
    </StreamProvider>
  );
}

function Shell() {
  const t = useT(common);
  const { user, brands, brandId, setBrandId, can, signOut } = useSession();
  const { locale, setLocale } = useLocale();
  const live = useStreamStatus();
  const { freezes } = useActiveFreezes();
  const route = useRoute();
  const visible = NAV.filter((n) => can(n.permission, ""));
  const current =
    visible.find((n) => n.to === "/" + (route[0] ?? "")) ?? (route.length === 0 ? visible[0] : undefined);

  return (
    <div className={freezes.length > 0 ? "app frozen" : "app"}>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="topbar">
        <span className="logo" aria-label="Herald">
          Herald
        </span>
        <nav aria-label="Main" className="mainnav">
          {visible.map((n) => (
            <Link key={n.to} to={n.to}>
              {t(n.label)}
            </Link>
          ))}
        </nav>
        <div className="topbar-tools">
          <label>
            <span className="visually-hidden">{t("brand")}</span>
            <select value={brandId} onChange={(e) => setBrandId(e.target.value)} data-testid="brand-switcher">
              <option value="">{t("allBrands")}</option>
              {brands.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="visually-hidden">{t("language")}</span>
            <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} data-testid="locale-switcher">
              {LOCALES.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <span className={live ? "live on" : "live off"} title={live ? t("live") : t("offline")}>
            {live ? t("live") : t("offline")}
          </span>
          <span className="who">{user?.display_name || user?.email}</span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {t("signOut")}
          </button>
        </div>
      </header>
      <FreezeBanner freezes={freezes} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="center-note">{t("loading")}</p>}>
          {current ? current.page() : <p className="center-note">404</p>}
        </Suspense>
      </main>
    </div>
  );
}
