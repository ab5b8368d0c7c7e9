// Saved replies and the FAQ in the composer: the picker (search, insert filled for the thread,
// delete), "save this text as a saved reply", the FAQ answers suggested for what was asked, and
// the "add to FAQ" dialog for an inbound message and its answer. The server fills the variables
// ({{name}} and the others) and checks them; these components only show and send.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { api, describeError, qs } from "../../api";
import { useSession } from "../../session";
import { InboxDialog, useDialogFocus } from "./Dialog";
import { useInboxT } from "./messages";
import type { FaqSuggestion, InboxItem, RenderedReply, SavedReply } from "./types";

// What inserting an entry gives the composer: the filled text and the variables left empty.
export type Insert = (text: string, missing: string[]) => void;

async function render(threadId: number, id: number): Promise<RenderedReply> {
  return api.post<RenderedReply>(`/api/v1/inbox/threads/${threadId}/render`, { saved_reply_id: id });
}


export function SavedReplyPicker(p: { threadId: number; brandId: string; onInsert: Insert; onClose: () => void }) {
  const t = useInboxT();
  const { user, can } = useSession();
  const [items, setItems] = useState<SavedReply[] | null>(null);
  const [q, setQ] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(0);
  const search = useDialogFocus<HTMLInputElement>();

  useEffect(() => {
    let live = true;
    api
      .get<{ items: SavedReply[] }>(`/api/v1/inbox/saved-replies${qs({ brand_id: p.brandId })}`)
      .then((r) => live && setItems(r.items))
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [p.brandId]);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!items || needle === "") return items ?? [];
    return items.filter((s) => `${s.title} ${s.question ?? ""} ${s.text}`.toLowerCase().includes(needle));
  }, [items, q]);

  const insert = async (s: SavedReply) => {
    setBusy(s.id);
    setError("");
    try {
      const r = await render(p.threadId, s.id);
      p.onInsert(r.text, r.missing);
      p.onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(0);
    }
  };
  const remove = async (s: SavedReply) => {
    if (!window.confirm(t("savedDeleteConfirm", { title: s.title }))) return;
    setError("");
    try {
      await api.del(`/api/v1/inbox/saved-replies/${s.id}`, { ifMatch: `"v${s.version}"` });
      setItems((list) => (list ?? []).filter((x) => x.id !== s.id));
    } catch (e) {
      setError(describeError(e));
    }
  };
  const mayDelete = (s: SavedReply) => (s.brand_id === null ? !!user?.is_admin : can("inbox.reply", s.brand_id));

  return (
    <InboxDialog className="saved-dialog" labelledBy="saved-title" testId="saved-picker" onClose={p.onClose}>
      <h2 id="saved-title">{t("savedTitle")}</h2>
      <label>
        {t("savedSearch")}
        <input ref={search} type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="saved-search" />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">{t("loading")}</p>}
      {items !== null && shown.length === 0 && <p className="muted">{items.length === 0 ? t("savedNone") : t("savedNoMatch")}</p>}
      <ul className="saved-list">
        {shown.map((s) => (
          <li key={s.id} data-testid="saved-entry">
            <div className="saved-head">
              <strong>{s.title}</strong>
              {s.kind === "faq" && <span className="badge">{t("faq")}</span>}
              {s.brand_id === null && <span className="badge">{t("savedOrgWide")}</span>}
              <span className="muted">{t("savedUses", { n: s.use_count })}</span>
            </div>
            {s.question && <p className="muted saved-q">{s.question}</p>}
            <p className="saved-text">{s.text}</p>
            <div className="saved-actions">
              <button type="button" className="primary" disabled={busy !== 0} onClick={() => void insert(s)}>
                {busy === s.id ? t("loading") : t("savedInsert")}
              </button>
              {mayDelete(s) && (
                <button type="button" className="danger-outline" onClick={() => void remove(s)}>
                  {t("savedDelete")}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <p className="muted">{t("savedVariables")}</p>
      <button type="button" onClick={p.onClose}>
        {t("close")}
      </button>
    </InboxDialog>
  );
}

// Saves the reply box's text as a saved reply of the thread's brand.
export function SaveAsReply(p: { brandId: string; text: string; onClose: () => void; onSaved: (s: SavedReply) => void }) {
  const t = useInboxT();
  const [title, setTitle] = useState(p.text.split("\n")[0].slice(0, 60));
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useDialogFocus<HTMLInputElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (title.trim() === "") {
      setError(t("savedNeedsTitle"));
      return;
    }
    setBusy(true);
    setError("");
    try {
      p.onSaved(await api.post<SavedReply>("/api/v1/inbox/saved-replies", { brand_id: p.brandId, title, text: p.text }));
      p.onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <InboxDialog labelledBy="save-as-title" testId="save-as-reply" onClose={p.onClose} onSubmit={(e) => void submit(e)} closeOnEscape={false}>
      <h2 id="save-as-title">{t("saveAsTitle")}</h2>
      <label>
        {t("savedTitleLabel")}
        <input ref={first} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="save-as-title" />
      </label>
      <p className="saved-text">{p.text}</p>
      <p className="muted">{t("savedVariables")}</p>
      {error && (
        <p className="error" role="alert" data-testid="save-as-error">
          {error}
        </p>
      )}
      <div className="composer-row">
        <button type="button" onClick={p.onClose}>
          {t("cancel")}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t("save")}
        </button>
      </div>
    </InboxDialog>
  );
}

// The FAQ answers closest to the thread's latest message, each one click from the reply box.
export function FaqSuggestions(p: { threadId: number; askedId: number | undefined; onInsert: Insert }) {
  const t = useInboxT();
  const [items, setItems] = useState<FaqSuggestion[]>([]);
  useEffect(() => {
    let live = true;
    setItems([]);
    if (p.askedId === undefined) return;
    api
      .get<{ items: FaqSuggestion[] }>(`/api/v1/inbox/threads/${p.threadId}/suggestions`)
      .then((r) => live && setItems(r.items))
      .catch(() => undefined); // suggestions are a help, never in the way
    return () => {
      live = false;
    };
  }, [p.threadId, p.askedId]);
  if (items.length === 0) return null;
  return (
    <div className="faq-suggestions" role="group" aria-label={t("faqSuggested")} data-testid="faq-suggestions">
      <span className="muted">{t("faqSuggested")}</span>
      {items.map((s) => (
        <button
          key={s.entry.id}
          type="button"
          title={s.text}
          onClick={() => {
            p.onInsert(s.text, s.missing);
            void render(p.threadId, s.entry.id).catch(() => undefined); // counted as a use
          }}
          data-testid="faq-suggestion"
        >
          {s.entry.title}
        </button>
      ))}
    </div>
  );
}

// "Add to FAQ" for an inbound message: the question (the message) and the answer (the reply it got).
export function PromoteToFaq(p: { item: InboxItem; answer: string; onClose: () => void; onSaved: (s: SavedReply) => void }) {
  const t = useInboxT();
  const [question, setQuestion] = useState(p.item.text);
  const [answer, setAnswer] = useState(p.answer);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useDialogFocus<HTMLTextAreaElement>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (question.trim() === "" || answer.trim() === "") {
      setError(t("faqNeedsBoth"));
      return;
    }
    setBusy(true);
    setError("");
    try {
      p.onSaved(
        await api.post<SavedReply>("/api/v1/inbox/saved-replies", {
          kind: "faq",
          source_item_id: p.item.id,
          question,
          text: answer,
        }),
      );
      p.onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <InboxDialog labelledBy="promote-title" testId="promote-faq" onClose={p.onClose} onSubmit={(e) => void submit(e)} closeOnEscape={false}>
      <h2 id="promote-title">{t("promoteTitle")}</h2>
      <label>
        {t("faqQuestion")}
        <textarea ref={first} rows={2} value={question} maxLength={5000} onChange={(e) => setQuestion(e.target.value)} data-testid="promote-question" />
      </label>
      <label>
        {t("faqAnswer")}
        <textarea rows={4} value={answer} maxLength={5000} onChange={(e) => setAnswer(e.target.value)} data-testid="promote-answer" />
      </label>
      <p className="muted">{t("savedVariables")}</p>
      {error && (
        <p className="error" role="alert" data-testid="promote-error">
          {error}
        </p>
      )}
      <div className="composer-row">
        <button type="button" onClick={p.onClose}>
          {t("cancel")}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t("promoteSave")}
        </button>
      </div>
    </InboxDialog>
  );
}
