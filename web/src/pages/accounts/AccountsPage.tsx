// The account matrix (/accounts) and one account (/accounts/<id>).
import { useEffect, useState } from "react";
import { api } from "../../api";
import { useRoute } from "../../router";
import { AccountDetail } from "./AccountDetail";
import { MatrixView } from "./MatrixView";
import type { PlatformInfo } from "./types";
import "./accounts.css";

export default function AccountsPage() {
  const route = useRoute();
  const [platforms, setPlatforms] = useState<PlatformInfo[]>([]);
  useEffect(() => {
    api
      .get<{ items: PlatformInfo[] }>("/api/v1/platforms")
      .then((r) => setPlatforms(r.items))
      .catch(() => {}); // names fall back to the platform ids
  }, []);
  const id = route[1];
  return id ? <AccountDetail key={id} id={id} platforms={platforms} /> : <MatrixView platforms={platforms} />;
}
