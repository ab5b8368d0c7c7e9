// The shapes the crisis console reads (services/gateway/openapi.yaml: FreezePreview, HeldPreview,
// FreezeAcknowledgement, HeldActionResult, PlatformCapabilities, Account).
import type { Freeze, FreezeScope } from "../../lib/freezes";

export interface HeldPreview {
  total: number;
  next_72h: number;
  exempt: number;
  by_brand: { brand_id: string; count: number }[];
  by_platform: { platform: string; count: number }[];
  by_account: { account_id: string; count: number }[];
  by_hour: { hour: string; count: number }[];
  items: {
    target_id: string;
    post_id: string;
    brand_id: string;
    account_id: string;
    platform: string;
    title: string;
    state: string;
    due_at: string;
  }[];
  items_truncated: boolean;
}

export interface FreezePreview {
  scope: FreezeScope;
  held: HeldPreview;
}

export interface InFlightSend {
  send_key: string;
  worker: string;
  started_at: string;
}

export interface FreezeAck {
  freeze: Freeze;
  acknowledgement: { acknowledged_at: string | null; epoch: number; ack_ms: number | null; in_flight: InFlightSend[] };
  held: HeldPreview;
}

export interface HeldPost {
  id: string;
  brand_id: string;
  title: string;
  scheduled_at: string | null;
  zone: string | null;
  status: string;
  targets: { id: string; account_id: string; platform: string; state: string }[];
}

export type HeldActionName = "review" | "release" | "reschedule" | "discard";

export interface HeldActionResult {
  action: string;
  done: number;
  refused: number;
  results: {
    post_id: string;
    ok: boolean;
    targets?: { target_id: string; account_id: string; state: string }[];
    status?: number;
    detail?: string;
  }[];
}

export interface PlatformInfo {
  platform: string;
  display_name: string;
}

export interface AccountInfo {
  id: string;
  brand_id: string;
  platform: string;
  platform_account_id: string;
  sandbox: boolean;
  status: string;
  profile: { handle: string; display_name: string };
}

export interface Verification {
  valid: boolean;
  checked: number;
  first_bad_seq: number | null;
  reason: string;
}
