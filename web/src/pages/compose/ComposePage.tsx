// The composer: one post for several accounts, with a shared text or each account's own, live
// length counters that count as each platform does (lib/counting.ts, the server's rules), a
// preview per platform, and the server's validation shown against the account it concerns.
import { useMemo, useState, type FormEvent } from "react";
import { ApiError, api, describeError, newIdempotencyKey } from "../../api";
import { useT } from "../../i18n/i18n";
import { accountLabel, useAccounts, usePlatforms, type Account, type Capabilities } from "../../lib/accounts";
import { countText, withHashtags } from "../../lib/counting";
import { browserZone, toUtcIso } from "../../lib/posts";
import { Link } from "../../router";
import { useSession } from "../../session";
import "./compose.css";
import { messages } from "./messages";

const CONTENT_TYPES = ["news", "knowledge", "interactive", "case_story", "user_feedback"] as const;
const FORMS = ["image_text", "short_video", "live", "interactive", "illustrated_story", "platform_native"] as const;

const splitList = (s: string) =>
  s
    .split(/[\s,，]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function mediaFrom(lines: string) {
  return lines
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((url) => {
      const video = /\.(mp4|mov|m4v)(\?|$)/i.test(url);
      const ext = (url.split("?")[0].split(".").pop() ?? "").toLowerCase();
      const mime = video ? "video/mp4" : ext === "png" ? "image/png" : ext === "gif" ? "image/gif" : "image/jpeg";
      return { kind: video ? "video" : "image", url, mime_type: mime };
    });
}

// "2026-12-01T09:30" in the browser's zone -> Date
function fromLocalInput(v: string): Date | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

interface Problem {
  account_id?: string;
  field?: string;
  reason?: string;
}

export default function ComposePage() {
  const t = useT(messages);
  const { brandId, brand } = useSession();
  const accounts = useAccounts(brandId, !!brandId);
  const platforms = usePlatforms();
  const [chosen, setChosen] = useState<string[]>([]);
  const [title, setTitle] = useState("");
  const [contentType, setContentType] = useState<string>("news");
  const [form, setForm] = useState<string>("image_text");
  const [text, setText] = useState("");
  const [own, setOwn] = useState<Record<string, string | undefined>>({});
  const [hashtags, setHashtags] = useState("");
  const [link, setLink] = useState("");
  const [firstComment, setFirstComment] = useState("");
  const [media, setMedia] = useState("");
  const [tags, setTags] = useState("");
  const [notes, setNotes] = useState("");
  const [sensitive, setSensitive] = useState(false);
  const [crisis, setCrisis] = useState(false);
  const [slot, setSlot] = useState("");
  const [zone, setZone] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ text: string; id: string } | null>(null);
  const [error, setError] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);

  const caps = useMemo(() => new Map(platforms.map((p) => [p.platform, p])), [platforms]);
  const selected = accounts.filter((a) => chosen.includes(a.id));
  const tagList = splitList(hashtags);
  const effectiveZone = zone || brand?.timezone || browserZone();

  if (!brandId) {
    return (
      <div className="page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("pickBrand")}</p>
      </div>
    );
  }

  const textOf = (a: Account) => own[a.id] ?? text;

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  const submit = async (e: FormEvent, forReview: boolean) => {
    e.preventDefault();
    setBusy(true);
    setError("");
    setProblems([]);
    setDone(null);
    const at = fromLocalInput(slot);
    const body: Record<string, unknown> = {
      brand_id: brandId,
      title,
      content_type: contentType,
      form,
      tags: splitList(tags),
      notes,
      sensitive,
      crisis_statement: crisis,
      variants: selected.map((a) => {
        const c = caps.get(a.platform);
        const v: Record<string, unknown> = { account_id: a.id, text: textOf(a), hashtags: tagList, media: mediaFrom(media) };
        if (link) v.link = link;
        if (firstComment && c?.operations.first_comment) v.first_comment = firstComment;
        return v;
      }),
    };
    if (at) {
      body.scheduled_at = toUtcIso(at);
      body.zone = effectiveZone;
    }
    try {
      const post = await api.post<{ id: string }>("/api/v1/posts", body, { idempotencyKey: newIdempotencyKey() });
      if (forReview) await api.post(`/api/v1/posts/${post.id}/submit`);
      setDone({ text: forReview ? t("submitted") : t("saved"), id: post.id });
      setText("");
      setOwn({});
      setTitle("");
      setFirstComment("");
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors) setProblems(err.problem.errors as Problem[]);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page compose-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        <span className="muted">{brand?.name}</span>
      </div>
      <form className="compose-layout" onSubmit={(e) => submit(e, true)}>
        <div className="stack card">
          <fieldset className="accounts-pick">
            <legend>{t("accounts")}</legend>
            {accounts.length === 0 && <p className="muted">{t("noAccounts")}</p>}
            {accounts.map((a) => (
              <label key={a.id} className="check">
                <input type="checkbox" checked={chosen.includes(a.id)} onChange={() => toggle(a.id)} />
                {accountLabel(a)}
                {a.sandbox && <span className="badge warn">{t("sandbox")}</span>}
              </label>
            ))}
          </fieldset>
          <label>
            {t("postTitle")}
            <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} />
          </label>
          <div className="row">
            <label>
              {t("contentType")}
              <select value={contentType} onChange={(e) => setContentType(e.target.value)}>
                {CONTENT_TYPES.map((c) => (
                  <option key={c} value={c}>
                    {t(c)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("form")}
              <select value={form} onChange={(e) => setForm(e.target.value)}>
                {FORMS.map((f) => (
                  <option key={f} value={f}>
                    {t(f)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            {t("text")}
            <textarea value={text} onChange={(e) => setText(e.target.value)} data-testid="compose-text" />
          </label>
          <label>
            {t("hashtags")}
            <input value={hashtags} onChange={(e) => setHashtags(e.target.value)} />
          </label>
          <label>
            {t("link")}
            <input type="url" value={link} onChange={(e) => setLink(e.target.value)} />
          </label>
          <label>
            {t("firstComment")}
            <input value={firstComment} onChange={(e) => setFirstComment(e.target.value)} />
          </label>
          <label>
            {t("media")}
            <textarea value={media} onChange={(e) => setMedia(e.target.value)} rows={2} className="short" />
          </label>
          <label>
            {t("tags")}
            <input value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
          <label>
            {t("notes")}
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} className="short" />
          </label>
          <label className="check">
            <input type="checkbox" checked={sensitive} onChange={(e) => setSensitive(e.target.checked)} />
            {t("sensitive")}
          </label>
          <label className="check">
            <input type="checkbox" checked={crisis} onChange={(e) => setCrisis(e.target.checked)} />
            {t("crisisStatement")}
          </label>
          <div className="row">
            <label>
              {t("slot")}
              <input type="datetime-local" value={slot} onChange={(e) => setSlot(e.target.value)} />
            </label>
            <label>
              {t("zone")}
              <input value={effectiveZone} onChange={(e) => setZone(e.target.value)} size={18} />
            </label>
          </div>
          {error && (
            <div className="error" role="alert" data-testid="compose-error">
              <strong>{t("problems")}</strong> {error}
            </div>
          )}
          {done && (
            <p className="notice ok" role="status" data-testid="compose-done">
              {done.text} <Link to="/calendar">{t("openCalendar")}</Link>
            </p>
          )}
          <div className="row">
            <button type="button" disabled={busy || selected.length === 0} onClick={(e) => submit(e, false)}>
              {t("saveDraft")}
            </button>
            <button type="submit" className="primary" disabled={busy || selected.length === 0}>
              {t("submit")}
            </button>
          </div>
        </div>
        <section className="previews" aria-labelledby="previews-title">
          <h2 id="previews-title">{t("preview")}</h2>
          {selected.map((a) => (
            <Preview
              key={a.id}
              account={a}
              caps={caps.get(a.platform)}
              text={textOf(a)}
              own={own[a.id] !== undefined}
              hashtags={tagList}
              firstComment={firstComment}
              problems={problems.filter((p) => p.account_id === a.id)}
              onOwn={(v) => setOwn((o) => ({ ...o, [a.id]: v }))}
            />
          ))}
        </section>
      </form>
    </div>
  );
}

function Preview(props: {
  account: Account;
  caps: Capabilities | undefined;
  text: string;
  own: boolean;
  hashtags: string[];
  firstComment: string;
  problems: Problem[];
  onOwn: (text: string | undefined) => void;
}) {
  const t = useT(messages);
  const { account: a, caps } = props;
  const full = withHashtags(props.text, props.hashtags);
  const max = caps?.text.max_length ?? 0;
  const n = caps ? countText(caps.text.counting, full) : [...full].length;
  const over = max > 0 && n > max;
  const name = caps?.display_name ?? a.platform;
  return (
    <article className={over ? "preview card over" : "preview card"} data-testid={`preview-${a.platform}`}>
      <header className="row">
        <strong>{name}</strong>
        <span className="muted">@{a.profile.handle}</span>
        <span
          className={over ? "counter over" : "counter"}
          title={t("counterTitle", { platform: name })}
          data-testid={`counter-${a.platform}`}
          aria-live="polite"
        >
          {max > 0 ? t("counter", { n, max }) : n}
        </span>
      </header>
      <p className="preview-text">{full}</p>
      {over && <p className="error">{t("over", { n: n - max })}</p>}
      {props.firstComment && caps && !caps.operations.first_comment && (
        <p className="muted">{t("noFirstComment", { platform: name })}</p>
      )}
      {props.problems.map((p, i) => (
        <p key={i} className="error" role="alert">
          {p.reason}
        </p>
      ))}
      <label className="check">
        <input type="checkbox" checked={props.own} onChange={(e) => props.onOwn(e.target.checked ? props.text : undefined)} />
        {t("ownText")}
      </label>
      {props.own && (
        <label>
          <span className="visually-hidden">{t("textFor", { account: accountLabel(a) })}</span>
          <textarea value={props.text} onChange={(e) => props.onOwn(e.target.value)} aria-label={t("textFor", { account: accountLabel(a) })} />
        </label>
      )}
    </article>
  );
}
