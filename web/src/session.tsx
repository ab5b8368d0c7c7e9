// Who is signed in, what they may do, and which brand they are working on. Permissions come from
// GET /api/v1/me (per brand); the server checks every request again, so this only shapes the UI.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, setCsrfToken, setUnauthorizedHandler } from "./api";

export interface Membership {
  brand_id: string;
  brand_name: string;
  role: string;
  account_ids: string[] | null;
  permissions: string[];
}
export interface Principal {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  memberships: Membership[];
}
export interface Brand {
  id: string;
  name: string;
  slug: string;
  timezone: string;
}

interface SessionState {
  user: Principal | null;
  brands: Brand[];
  brandId: string; // "" = all brands
  brand: Brand | null;
  setBrandId: (id: string) => void;
  // can("inbox.reply") on the current brand (any brand when none is chosen); can(p, brandId).
  can: (permission: string, brandId?: string) => boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  ready: boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Principal | null>(null);
  const [brands, setBrands] = useState<Brand[]>([]);
  const [brandId, setBrandIdState] = useState<string>(() => localStorage.getItem("herald.brand") ?? "");
  const [ready, setReady] = useState(false);

  const load = useCallback(async () => {
    const me = await api.get<{ user: Principal; csrf_token?: string }>("/api/v1/me");
    setCsrfToken(me.csrf_token);
    const list = await api.get<{ items: Brand[] }>("/api/v1/brands");
    setBrands(list.items);
    setUser(me.user);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    load()
      .catch(() => setUser(null))
      .finally(() => setReady(true));
  }, [load]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const s = await api.post<{ csrf_token: string }>("/api/v1/auth/login", { email, password });
      setCsrfToken(s.csrf_token);
      await load();
    },
    [load],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post("/api/v1/auth/logout");
    } finally {
      setCsrfToken("");
      setUser(null);
    }
  }, []);

  const setBrandId = useCallback((id: string) => {
    localStorage.setItem("herald.brand", id);
    setBrandIdState(id);
  }, []);

  // A remembered brand that is gone (or not visible any more) falls back to all brands.
  const effectiveBrandId = brands.some((b) => b.id === brandId) ? brandId : "";

  const can = useCallback(
    (permission: string, forBrand?: string) => {
      if (!user) return false;
      if (user.is_admin) return true;
      const b = forBrand ?? effectiveBrandId;
      return user.memberships.some((m) => (!b || m.brand_id === b) && m.permissions.includes(permission));
    },
    [user, effectiveBrandId],
  );

  const value = useMemo<SessionState>(
    () => ({
      user,
      brands,
      brandId: effectiveBrandId,
      brand: brands.find((b) => b.id === effectiveBrandId) ?? null,
      setBrandId,
      can,
      signIn,
      signOut,
      ready,
    }),
    [user, brands, effectiveBrandId, setBrandId, can, signIn, signOut, ready],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
