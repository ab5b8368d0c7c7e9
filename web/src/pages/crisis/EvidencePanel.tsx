// The evidence vault: the bundle as a download (GET /api/v1/crisis/evidence/export) and its
// check (POST /api/v1/crisis/evidence/verify), of the vault as it is now or of a saved bundle.
// Exporting needs crisis.read on every brand (or an organization admin); so does this panel.
import { useState, type ChangeEvent } from "react";
import { api, describeError } from "../../api";
import { useT } from "../../i18n/i18n";
import { useFreezePermission } from "./data";
import { messages } from "./messages";
import type { Verification } from "./types";

export function EvidencePanel() {
  const t = useT(messages);
  const { everyBrand } = useFreezePermission();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState("");

  if (!everyBrand("crisis.read")) return <p className="muted">{t("evidenceNoPerm")}</p>;

  const verify = async (bundle: () => Promise<unknown>) => {
    setBusy(true);
    setError("");
    setResult(null);
    try {
      setResult(await api.post<Verification>("/api/v1/crisis/evidence/verify", await bundle()));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    void verify(async () => {
      const text = await file.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(t("notJson"));
      }
    });
  };

  return (
    <div className="stack">
      <p className="muted">{t("evidenceIntro")}</p>
      <div className="row">
        <a className="crisis-download" href="/api/v1/crisis/evidence/export" download="herald-evidence.json" data-testid="evidence-export">
          {t("exportLink")}
        </a>
        <span className="muted crisis-hint">{t("exportAudited")}</span>
      </div>
      <div className="row">
        <button
          type="button"
          onClick={() => void verify(() => api.get<unknown>("/api/v1/crisis/evidence/export"))}
          disabled={busy}
        >
          {busy ? t("verifying") : t("verifyNow")}
        </button>
        <label className="crisis-file">
          <span>{t("verifyFile")}</span>
          <input type="file" accept="application/json,.json" onChange={onFile} disabled={busy} />
        </label>
      </div>
      {result && (
        <p className={result.valid ? "crisis-valid" : "error"} role="status" data-testid="evidence-result">
          {result.valid
            ? t("verifyOk", { n: result.checked })
            : t("verifyBad", {
                n: result.checked,
                seq: result.first_bad_seq !== null ? t("verifyBadSeq", { seq: result.first_bad_seq }) : "",
                reason: result.reason,
              })}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
