// The accounts and platform capabilities the composer and the calendar label things with.
import { useEffect, useState } from "react";
import { api, qs } from "../api";
import type { Counting } from "./counting";

export interface Account {
  id: string;
  brand_id: string;
  platform: string;
  sandbox: boolean;
  status: string;
  profile: { handle?: string; display_name?: string; avatar_url?: string };
}

export function accountLabel(a: Account | undefined, fallbackId = ""): string {
  if (!a) return fallbackId.slice(0, 8);
  return `${a.platform} · ${a.profile.handle || a.profile.display_name || a.id.slice(0, 8)}`;
}

export function useAccounts(brandId: string, enabled = true): Account[] {
  const [accounts, setAccounts] = useState<Account[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api
      .get<{ items: Account[] }>(`/api/v1/accounts${qs({ brand_id: brandId || undefined, status: "connected" })}`)
      .then((r) => live && setAccounts(r.items))
      .catch(() => live && setAccounts([]));
    return () => {
      live = false;
    };
  }, [brandId, enabled]);
  return accounts;
}

export interface Capabilities {
  platform: string;
  display_name: string;
  publishing: "api" | "assisted";
  text: { max_length: number; counting: Counting };
  media: { max_images: number; max_videos: number; required: boolean };
  operations: { first_comment: boolean; thread: boolean };
}

let platformsCache: Promise<Capabilities[]> | null = null;
export function usePlatforms(): Capabilities[] {
  const [list, setList] = useState<Capabilities[]>([]);
  useEffect(() => {
    platformsCache ??= api.get<{ items: Capabilities[] }>("/api/v1/platforms").then((r) => r.items);
    platformsCache.then(setList).catch(() => {
      platformsCache = null;
    });
  }, []);
  return list;
}
