// The shapes of the accounts API (services/gateway/openapi.yaml: Matrix, Account, Platform,
// ConnectStart, HealthEvent) as this screen uses them.
export type Level = "ok" | "warning" | "error";
export type AccountStatus = "connected" | "disconnected" | "assisted";

export interface HealthReason {
  code: string;
  message: string;
}

export interface MatrixAccount {
  id: string;
  handle: string;
  display_name: string;
  status: AccountStatus;
  sandbox: boolean;
  health: Level;
  reasons: HealthReason[];
  token_expires_at: string | null;
}

export interface MatrixCell {
  worst: Level;
  accounts: MatrixAccount[];
}

export interface MatrixRow {
  brand_id: string;
  brand_name: string;
  cells: Record<string, MatrixCell>;
}

export interface Matrix {
  platforms: string[];
  brands: MatrixRow[];
}

export interface Positioning {
  audience?: string;
  content_positioning?: string;
  goals?: string[];
  kpi_targets?: Record<string, number>;
}

export interface Account {
  id: string;
  brand_id: string;
  platform: string;
  platform_account_id: string;
  sandbox: boolean;
  status: AccountStatus;
  profile: {
    handle: string;
    display_name: string;
    avatar_url: string;
    bio: string;
    contact: string;
    verified: boolean;
    followers: number | null;
  };
  positioning: Positioning | null;
  groups: string[];
  tags: string[];
  store_id: string | null;
  health: {
    level: Level;
    reasons: HealthReason[];
    token_expires_at: string | null;
    last_refresh_at: string | null;
    granted_scopes: string[];
    required_scopes: string[];
    missing_scopes: string[];
    restricted: boolean;
    banned: boolean;
    last_error: string | null;
    last_error_class: string | null;
    last_error_at: string | null;
  };
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PlatformInfo {
  platform: string;
  display_name: string;
  publishing: "api" | "assisted";
  auth: { pkce: boolean; refresh: boolean; revoke: boolean; required_scopes: string[] };
}

export interface ConnectStart {
  platform: string;
  mode: "oauth" | "credentials";
  authorize_url?: string;
  state?: string;
  expires_in?: number;
  fields?: ("identifier" | "secret")[];
  sandbox: boolean;
}

export interface HealthEvent {
  id: number;
  kind: string;
  reason: string;
  at: string;
}

export interface Filters {
  platform: string;
  health: "" | Level;
  status: "" | AccountStatus;
}
