// The middle pane: the open thread's conversation (inbound and outbound items, replies with their
// delivery status, internal notes) and the composer (a reply, public or private where the thread
// and the platform allow it, or an internal note).
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import { ApiError, api, describeError, newIdempotencyKey, qs } from "../../api";
import { useLocale } from "../../i18n/i18n";
import { Link } from "../../router";
import { useInboxT } from "./messages";
import { FaqSuggestions, PromoteToFaq, SaveAsReply, SavedReplyPicker } from "./SavedReplies";
import type { AccountSummary, InboxItem, InboxNote, InboxReply, InboxThreadDetail, PlatformCaps } from "./types";
import { DEFAULT_REPLY_LIMIT, PRESENCE_RENEW_MS, answerTo, codePoints, conversation, latestInbound, moderationActions, withInserted } from "./types";

interface Props {
  detail: InboxThreadDetail | null;
  loading: boolean;
  error: string;
  platform: PlatformCaps | undefined;
  account: AccountSummary | undefined;
  canReply: boolean;
  etag: string | null; // the open thread's version as shown: a reply is sent against it
  othersReplying: string[]; // names of the others writing a reply here now
  onConflict: () => void; // the thread changed under a reply: reload it
  replyRef: RefObject<HTMLTextAreaElement | null>;
  onReplied: (r: InboxReply) => void;
  onNoted: (n: InboxNote) => void;
  onBack: () => void;
  onShowContext: () => void;
  onModerated: () => void; // an item's state on the platform changed: reload the thread
  canManage: boolean; // brand.manage: may export a person's data
  canAssign: boolean; // inbox.assign: may approve others' replies
  meId: string;
  savedOpen: boolean; // the saved-reply picker (the "s" shortcut opens it)
  onSavedOpen: (open: boolean) => void;
}

export function ThreadPane(p: Props) {
  const t = useInboxT();
  const { locale } = useLocale();
  const listEnd = useRef<HTMLDivElement>(null);
  const [promote, setPromote] = useState<InboxItem | null>(null);
  const [faqNotice, setFaqNotice] = useState("");
  const [modBusy, setModBusy] = useState(0);
  const [modNotice, setModNotice] = useState("");
  // A data-subject request: everything this person sent the brands one manages, as a file.
  const exportPerson = async (item: InboxItem) => {
    if (!d) return;
    setModNotice("");
    try {
      const data = await api.get<unknown>(`/api/v1/inbox/people/export${qs({ platform: d.platform, author_id: item.author.id })}`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `person-${d.platform}-${item.author.id}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setModNotice(t("exported"));
    } catch (e) {
      setModNotice(describeError(e));
    }
  };
  const moderate = async (item: InboxItem, action: "hide" | "unhide" | "delete" | "pin") => {
    if (!d) return;
    if (action === "delete" && !window.confirm(t("modDeleteConfirm"))) return;
    setModBusy(item.id);
    setModNotice("");
    try {
      const r = await api.post<{ status: string; error: string | null }>(`/api/v1/inbox/threads/${d.id}/items/${item.id}/moderate`, { action });
      setModNotice(r.status === "done" ? t(`modDone_${action}`) : t("modFailed", { reason: r.error ?? r.status }));
      p.onModerated();
    } catch (e) {
      setModNotice(describeError(e));
    } finally {
      setModBusy(0);
    }
  };
  const d = p.detail;
  const entries = d ? conversation(d) : [];
  const lastKey = entries.length > 0 ? `${entries.length}:${d?.id}` : "";
  useEffect(() => {
    listEnd.current?.scrollIntoView({ block: "end" });
  }, [lastKey]);

  if (!d) {
    return (
      <section className="inbox-pane pane-thread" aria-label={t("conversation")}>
        <div className="pane-head phone-only">
          <button type="button" onClick={p.onBack}>
            {t("backToList")}
          </button>
        </div>
        {p.error ? (
          <p className="error pane-note" role="alert">
            {p.error}
          </p>
        ) : (
          <p className="muted pane-note">{p.loading ? t("loading") : t("pickThread")}</p>
        )}
      </section>
    );
  }
  const time = (iso: string) =>
    new Date(iso).toLocaleString(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const who = latestInbound(d)?.author;
  return (
    <section className="inbox-pane pane-thread" aria-labelledby="inbox-thread-title" data-testid="thread-pane">
      <div className="pane-head">
        <button type="button" className="phone-only" onClick={p.onBack}>
          {t("backToList")}
        </button>
        <h2 id="inbox-thread-title">
          {d.kind === "comment" && d.platform_post_id
            ? t("commentsOn", { post: d.platform_post_id })
            : `${t(`kind_${d.kind}`)}${who ? ` · ${who.name || who.handle}` : ""}`}
        </h2>
        <button type="button" className="phone-only" onClick={p.onShowContext}>
          {t("details")}
        </button>
      </div>
      {p.error && (
        <p className="error pane-note" role="alert">
          {p.error}
        </p>
      )}
      {d.linked_thread_id && (
        <p className="muted pane-note" data-testid="handoff-link">
          <Link to={`/inbox/${d.linked_thread_id}`}>{d.kind === "dm" ? t("handoffFromComment") : t("handoffToDm")}</Link>
        </p>
      )}
      {d.personal_data === "masked" && (
        <p className="muted pane-note" data-testid="masked-note">
          {t("maskedNote")}
        </p>
      )}
      <div className="pane-scroll">
        <ol className="conversation" aria-label={t("conversation")}>
          {entries.map((e) => {
            if (e.type === "note") {
              return (
                <li key={`n${e.note.id}`} className="msg note" data-testid="note">
                  <div className="msg-head">
                    <strong>{t("internalNote")}</strong> <span>{e.note.author}</span>
                    <time dateTime={e.note.created_at}>{time(e.note.created_at)}</time>
                  </div>
                  <p className="msg-text">{e.note.text}</p>
                </li>
              );
            }
            if (e.type === "reply") return <ReplyMessage key={`r${e.reply.id}`} reply={e.reply} time={time} canReview={p.canAssign && e.reply.author_user_id !== p.meId} onReviewed={p.onModerated} />;
            const it = e.item;
            if (e.reply) return <ReplyMessage key={`i${it.id}`} reply={e.reply} time={time} canReview={false} onReviewed={p.onModerated} />;
            return (
              <li key={`i${it.id}`} className={`msg ${it.direction}`} data-testid={`item-${it.direction}`}>
                <div className="msg-head">
                  <strong>
                    {it.direction === "out"
                      ? t("ourAccount")
                      : it.author.name || it.author.handle || t("unknownAuthor")}
                  </strong>
                  {it.direction === "in" && it.author.handle && <span className="muted">@{it.author.handle}</span>}
                  {it.author.verified && <span className="badge ok">{t("verified")}</span>}
                  <time dateTime={it.created_at}>{time(it.created_at)}</time>
                </div>
                <p className="msg-text" lang={it.language !== "und" ? it.language : undefined}>
                  {it.text}
                </p>
                {it.direction === "in" && (
                  <div className="msg-tags">
                    <span className={`badge ${it.sentiment === "negative" ? "danger" : it.sentiment === "positive" ? "ok" : ""}`}>
                      {t(`sentiment_${it.sentiment}`)}
                    </span>
                    <span className="badge">{t(`category_${it.category}`)}</span>
                    {it.moderation && (
                      <span className="badge warn" data-testid="moderation-state">
                        {t(`mod_${it.moderation}`, { platform: p.platform?.display_name ?? d.platform })}
                      </span>
                    )}
                    {p.canReply &&
                      moderationActions(it, p.platform?.operations).map((a) => (
                        <button
                          key={a}
                          type="button"
                          className="link-button"
                          disabled={modBusy !== 0}
                          onClick={() => void moderate(it, a)}
                          data-testid={`moderate-${a}`}
                        >
                          {t(`modAction_${a}`)}
                        </button>
                      ))}
                    {p.canReply && (
                      <button type="button" className="link-button" onClick={() => setPromote(it)} data-testid="promote-button">
                        {t("promoteButton")}
                      </button>
                    )}
                    {p.canManage && it.author.id && (
                      <button type="button" className="link-button" onClick={() => void exportPerson(it)} data-testid="export-person">
                        {t("exportPerson")}
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
        <div ref={listEnd} />
      </div>
      {modNotice && (
        <p className="muted pane-note" role="status" data-testid="moderation-notice">
          {modNotice}
        </p>
      )}
      {faqNotice && (
        <p className="muted pane-note" role="status" data-testid="faq-notice">
          {faqNotice}
        </p>
      )}
      {promote && (
        <PromoteToFaq
          item={promote}
          answer={answerTo(d, promote.id)}
          onClose={() => setPromote(null)}
          onSaved={(s) => setFaqNotice(t("faqAdded", { title: s.title }))}
        />
      )}
      <Composer
        key={d.id}
        detail={d}
        platform={p.platform}
        account={p.account}
        canReply={p.canReply}
        etag={p.etag}
        othersReplying={p.othersReplying}
        onConflict={p.onConflict}
        replyRef={p.replyRef}
        onReplied={p.onReplied}
        onNoted={p.onNoted}
        savedOpen={p.savedOpen}
        onSavedOpen={p.onSavedOpen}
      />
    </section>
  );
}

function ReplyMessage({
  reply,
  time,
  canReview,
  onReviewed,
}: {
  reply: InboxReply;
  time: (iso: string) => string;
  canReview: boolean;
  onReviewed: () => void;
}) {
  const t = useInboxT();
  const [reviewError, setReviewError] = useState("");
  const review = async (verdict: "approve" | "reject") => {
    setReviewError("");
    try {
      await api.post(`/api/v1/inbox/replies/${reply.id}/${verdict}`, {});
      onReviewed();
    } catch (e) {
      setReviewError(describeError(e));
    }
  };
  const tone =
    reply.status === "sent" ? "ok" : reply.status === "failed" ? "danger" : reply.status === "queued" || reply.status === "sending" ? "" : "warn";
  return (
    <li className={`msg out reply-${reply.status}`} data-testid="reply" data-reply-id={reply.id}>
      <div className="msg-head">
        <strong>{reply.author || t("automation")}</strong>
        <span className="muted">{reply.private ? t("sentPrivately") : t("sentPublicly")}</span>
        <time dateTime={reply.created_at}>{time(reply.created_at)}</time>
      </div>
      <p className="msg-text">{reply.text}</p>
      <div className="msg-tags">
        <span className={`badge ${tone}`} data-testid="reply-status" data-status={reply.status}>
          {t(`reply_${reply.status}`)}
        </span>
        {reply.attempts > 1 && <span className="muted">{t("attempts", { n: reply.attempts })}</span>}
      </div>
      {reply.error && <p className={reply.status === "failed" ? "error" : "muted"}>{reply.error}</p>}
      {reply.status === "unknown" && <p className="muted">{t("unknownHelp")}</p>}
      {reply.status === "pending_approval" && canReview && (
        <div className="saved-actions">
          <button type="button" className="primary" onClick={() => void review("approve")} data-testid="approve-reply">
            {t("approveReply")}
          </button>
          <button type="button" onClick={() => void review("reject")} data-testid="reject-reply">
            {t("rejectReply")}
          </button>
        </div>
      )}
      {reviewError && <p className="error">{reviewError}</p>}
    </li>
  );
}

function Composer(p: {
  detail: InboxThreadDetail;
  platform: PlatformCaps | undefined;
  account: AccountSummary | undefined;
  canReply: boolean;
  etag: string | null;
  othersReplying: string[];
  onConflict: () => void;
  replyRef: RefObject<HTMLTextAreaElement | null>;
  onReplied: (r: InboxReply) => void;
  onNoted: (n: InboxNote) => void;
  savedOpen: boolean;
  onSavedOpen: (open: boolean) => void;
}) {
  const t = useInboxT();
  const d = p.detail;
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const [privately, setPrivately] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const [saveAs, setSaveAs] = useState(false);
  // One key per reply being written: a retried request (a double click, a lost answer) is the
  // same reply on the server, never a second one.
  const key = useRef(newIdempotencyKey());

  // While the reply box has text, the others in this thread see that we are writing (renewed
  // before the server's mark lapses); cleared when the box empties, the reply goes, or we leave.
  const writing = p.canReply && mode === "reply" && text.trim() !== "";
  useEffect(() => {
    if (!writing) return;
    const path = `/api/v1/inbox/threads/${d.id}/presence`;
    const mark = (replying: boolean) => void api.post(path, { replying }).catch(() => undefined);
    mark(true);
    const timer = setInterval(() => mark(true), PRESENCE_RENEW_MS);
    return () => {
      clearInterval(timer);
      mark(false);
    };
  }, [writing, d.id]);

  const ops = p.platform?.operations;
  const isDm = d.kind === "dm";
  const canPublic = !isDm && (ops?.reply ?? true);
  const canPrivate = isDm || (ops?.dm ?? false);
  const asPrivate = isDm || privately || !canPublic;
  const limit = p.platform && p.platform.text.max_length > 0 ? p.platform.text.max_length : DEFAULT_REPLY_LIMIT;
  const n = codePoints(text);
  const over = n > limit;
  const handle = latestInbound(d)?.author.handle;
  const noAnswer = !canPublic && !canPrivate;

  const sendReply = async () => {
    setDone("");
    if (text.trim() === "") {
      setError(t("emptyReply"));
      p.replyRef.current?.focus();
      return;
    }
    if (over) {
      setError(t("tooLong", { n, max: limit }));
      return;
    }
    setBusy(true);
    setError("");
    try {
      const body: { text: string; private?: boolean } = { text };
      if (asPrivate && !isDm) body.private = true;
      const r = await api.post<InboxReply>(`/api/v1/inbox/threads/${d.id}/replies`, body, {
        idempotencyKey: key.current,
        ifMatch: p.etag ?? undefined,
      });
      key.current = newIdempotencyKey();
      setText("");
      setDone(t("replyQueued"));
      p.onReplied(r);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        // Someone answered (or the thread moved) since we read it: show them, keep our text.
        key.current = newIdempotencyKey();
        setError(t("replyConflict"));
        p.onConflict();
      } else setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const sendNote = async () => {
    setDone("");
    if (note.trim() === "") {
      setError(t("emptyNote"));
      return;
    }
    setBusy(true);
    setError("");
    try {
      const r = await api.post<InboxNote>(`/api/v1/inbox/threads/${d.id}/notes`, { text: note });
      setNote("");
      setDone(t("noteAdded"));
      p.onNoted(r);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  // A saved reply or suggested answer, filled for this thread, goes into the reply box.
  const insert = (filled: string, missing: string[]) => {
    setMode("reply");
    setText((now) => withInserted(now, filled));
    setError("");
    setDone(missing.length > 0 ? t("missingVars", { names: missing.map((m) => `{{${m}}}`).join(", ") }) : "");
    setTimeout(() => p.replyRef.current?.focus(), 0);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void (mode === "reply" ? sendReply() : sendNote());
  };
  // Ctrl+Enter (or Cmd+Enter) sends.
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void (mode === "reply" ? sendReply() : sendNote());
    }
  };

  if (!p.canReply) {
    return <p className="muted composer-note">{t("readOnly")}</p>;
  }
  return (
    <>
      <form className="composer" onSubmit={submit} aria-label={t("composer")} noValidate>
        <div className="composer-tabs" role="group" aria-label={t("composeAs")}>
          <button type="button" aria-pressed={mode === "reply"} onClick={() => { setMode("reply"); setError(""); setDone(""); }}>
            {t("tabReply")}
          </button>
          <button type="button" aria-pressed={mode === "note"} onClick={() => { setMode("note"); setError(""); setDone(""); }}>
            {t("tabNote")}
          </button>
        </div>
        {mode === "reply" ? (
          <>
            {p.account?.sandbox && <p className="sandbox-note">{t("sandboxReply")}</p>}
            {p.othersReplying.length > 0 && (
              <p className="presence-warning" role="status" data-testid="others-replying">
                {t("othersReplying", { names: p.othersReplying.join(", ") })}
              </p>
            )}
            {noAnswer ? (
              <p className="muted">{t("noReplies", { platform: p.platform?.display_name ?? d.platform })}</p>
            ) : (
              <>
                <FaqSuggestions threadId={d.id} askedId={latestInbound(d)?.id} onInsert={insert} />
                <div className="composer-row composer-tools">
                  <button type="button" onClick={() => p.onSavedOpen(true)} data-testid="saved-button">
                    {t("savedButton")}
                  </button>
                  <button type="button" disabled={text.trim() === ""} onClick={() => setSaveAs(true)} data-testid="save-as-button">
                    {t("saveAsButton")}
                  </button>
                </div>
                <label>
                  {isDm ? t("dmLabel") : t("replyLabel")}
                  <textarea
                    ref={p.replyRef}
                    value={text}
                    onChange={(e) => {
                      setText(e.target.value);
                      if (error) setError("");
                      setDone("");
                    }}
                    onKeyDown={onKey}
                    aria-describedby="inbox-reply-count"
                    aria-invalid={over || undefined}
                    rows={3}
                    data-testid="reply-box"
                  />
                </label>
                <div className="composer-row">
                  {isDm ? (
                    <span className="muted">{t("dmAlways", { handle: handle ? "@" + handle : t("theAuthor") })}</span>
                  ) : canPrivate ? (
                    <label className="inline">
                      <input
                        type="checkbox"
                        checked={asPrivate}
                        disabled={!canPublic}
                        onChange={(e) => setPrivately(e.target.checked)}
                      />
                      {t("replyPrivately", { handle: handle ? "@" + handle : t("theAuthor") })}
                    </label>
                  ) : (
                    <span className="muted">{t("noDm", { platform: p.platform?.display_name ?? d.platform })}</span>
                  )}
                  <span id="inbox-reply-count" className={over ? "count over" : "count"} data-testid="reply-count">
                    {t("count", { n, max: limit })}
                  </span>
                  <button type="submit" className="primary" disabled={busy}>
                    {busy ? t("sending") : asPrivate ? t("sendDm") : t("sendReply")}
                  </button>
                </div>
              </>
            )}
          </>
        ) : (
          <>
            <label>
              {t("noteLabel")}
              <textarea value={note} onChange={(e) => { setNote(e.target.value); if (error) setError(""); }} onKeyDown={onKey} rows={3} maxLength={5000} />
            </label>
            <div className="composer-row">
              <span className="muted">{t("noteHelp")}</span>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? t("sending") : t("addNote")}
              </button>
            </div>
          </>
        )}
        {error && (
          <p className="error" role="alert" data-testid="composer-error">
            {error}
          </p>
        )}
        {done && (
          <p className="muted" role="status" data-testid="composer-status">
            {done}
          </p>
        )}
      </form>
      {p.savedOpen && (
        <SavedReplyPicker threadId={d.id} brandId={d.brand_id} onInsert={insert} onClose={() => p.onSavedOpen(false)} />
      )}
      {saveAs && (
        <SaveAsReply
          brandId={d.brand_id}
          text={text}
          onClose={() => setSaveAs(false)}
          onSaved={(s) => setDone(t("savedAdded", { title: s.title }))}
        />
      )}
    </>
  );
}
