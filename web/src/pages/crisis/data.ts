// What the console looks up: the platforms (names), the accounts the caller may read (labels,
// the sandbox mark), who may freeze what, and dates in the user's language.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../../api";
import { useLocale } from "../../i18n/i18n";
import type { FreezeScope } from "../../lib/freezes";
import { useSession } from "../../session";
import type { AccountInfo, PlatformInfo } from "./types";

export function usePlatforms(): PlatformInfo[] {
  const [list, setList] = useState<PlatformInfo[]>([]);
  useEffect(() => {
    api
      .get<{ items: PlatformInfo[] }>("/api/v1/platforms")
      .then((r) => setList(r.items))
      .catch(() => setList([]));
  }, []);
  return list;
}

// Every account the caller may read (the server leaves the others out).
export function useAccounts(): { accounts: AccountInfo[]; byId: Map<string, AccountInfo> } {
  const [accounts, setAccounts] = useState<AccountInfo[]>([]);
  useEffect(() => {
    api
      .get<{ items: AccountInfo[] }>("/api/v1/accounts")
      .then((r) => setAccounts(r.items))
      .catch(() => setAccounts([]));
  }, []);
  const byId = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  return { accounts, byId };
}

export function accountLabel(a: AccountInfo | undefined, fallback: string): string {
  if (!a) return fallback;
  return `${a.platform} @${a.profile?.handle || a.platform_account_id}`;
}

// crisis.freeze over a scope, as the server checks it: the brand of a brand or account scope;
// every brand for the organization-wide ones (or an organization admin).
export function useFreezePermission() {
  const { user, brands, can } = useSession();
  const everyBrand = useCallback(
    (perm: string) => !!user && (user.is_admin || (brands.length > 0 && brands.every((b) => can(perm, b.id)))),
    [user, brands, can],
  );
  const canOver = useCallback(
    (scope: FreezeScope, brandId: string | null) => {
      if (brandId) return can("crisis.freeze", brandId);
      if (scope.kind === "brand" && scope.value) return can("crisis.freeze", scope.value);
      return everyBrand("crisis.freeze");
    },
    [can, everyBrand],
  );
  return { canOver, everyBrand, canAny: can("crisis.freeze", "") };
}

export function useDates() {
  const { locale } = useLocale();
  return useMemo(
    () => ({
      dateTime: (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(locale) : ""),
      hour: (iso: string) =>
        new Date(iso).toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }),
    }),
    [locale],
  );
}
