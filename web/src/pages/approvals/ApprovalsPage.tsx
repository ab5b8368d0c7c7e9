// The approvals queue: posts in review on the brands the caller may approve, each with its
// texts, its review stages (who approved, what is missing) and approve / reject with a reason.
// The server decides who may approve (maker is never checker, roles per stage); its refusals are
// shown as they come.
import { useCallback, useEffect, useState } from "react";
import { api, describeError } from "../../api";
import { defineMessages, useLocale, useT } from "../../i18n/i18n";
import { accountLabel, useAccounts } from "../../lib/accounts";
import { listPosts, stateLabels, type TargetState } from "../../lib/posts";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import "./approvals.css";

const messages = defineMessages({
  en: {
    title: "Approvals",
    empty: "Nothing waiting for review.",
    slot: "Slot: {time}",
    noSlot: "No slot yet",
    stage: "{name}: {got} of {need}",
    missing: "Still needed: {what}",
    deadline: "Review deadline: {time}",
    approve: "Approve",
    reject: "Reject",
    reason: "Reason (required to reject)",
    approved: "Approved “{title}”.",
    rejected: "Rejected “{title}”.",
    needReason: "Give a reason to reject.",
    sensitive: "sensitive",
    crisis: "crisis statement",
    untitled: "(untitled)",
  },
  "zh-CN": {
    title: "审批",
    empty: "没有待审批的内容。",
    slot: "时间：{time}",
    noSlot: "尚未排期",
    stage: "{name}：{got} / {need}",
    missing: "仍需：{what}",
    deadline: "审批截止：{time}",
    approve: "通过",
    reject: "驳回",
    reason: "原因（驳回时必填）",
    approved: "已通过“{title}”。",
    rejected: "已驳回“{title}”。",
    needReason: "驳回需要填写原因。",
    sensitive: "敏感",
    crisis: "危机声明",
    untitled: "（无标题）",
  },
  "zh-TW": {
    title: "審批",
    empty: "沒有待審批的內容。",
    slot: "時間：{time}",
    noSlot: "尚未排程",
    stage: "{name}：{got} / {need}",
    missing: "仍需：{what}",
    deadline: "審批截止：{time}",
    approve: "核准",
    reject: "駁回",
    reason: "原因（駁回時必填）",
    approved: "已核准「{title}」。",
    rejected: "已駁回「{title}」。",
    needReason: "駁回需要填寫原因。",
    sensitive: "敏感",
    crisis: "危機聲明",
    untitled: "（無標題）",
  },
});

interface Review {
  current_stage: string | null;
  stages: { name: string; required: number; approved_by: string[]; complete: boolean }[];
  missing: string[];
  deadline: string | null;
}
interface Post {
  id: string;
  brand_id: string;
  title: string;
  sensitive: boolean;
  crisis_statement: boolean;
  scheduled_at: string | null;
  version: number;
  review?: Review;
  targets: { id: string; account_id: string; platform: string; state: TargetState; text?: string }[];
}

export default function ApprovalsPage() {
  const t = useT(messages);
  const ts = useT(stateLabels);
  const { locale } = useLocale();
  const { brandId, can } = useSession();
  const accounts = useAccounts(brandId);
  const [posts, setPosts] = useState<Post[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, { ok: boolean; text: string }>>({});

  const load = useCallback(async () => {
    const list = await listPosts({ brand_id: brandId || undefined, status: "IN_REVIEW" });
    const full = await Promise.all(list.filter((p) => can("post.approve", p.brand_id)).map((p) => api.get<Post>(`/api/v1/posts/${p.id}`)));
    setPosts(full);
    setLoaded(true);
  }, [brandId, can]);

  useEffect(() => {
    load().catch(() => setLoaded(true));
  }, [load]);
  useStream((e) => {
    if (e.type === "stream.connected" || e.type.startsWith("post.")) void load().catch(() => {});
  });

  const decide = async (p: Post, verdict: "approve" | "reject") => {
    const reason = reasons[p.id]?.trim() ?? "";
    const title = p.title || t("untitled");
    if (verdict === "reject" && !reason) {
      setNotes((n) => ({ ...n, [p.id]: { ok: false, text: t("needReason") } }));
      return;
    }
    try {
      await api.post(`/api/v1/posts/${p.id}/decisions`, verdict === "reject" ? { verdict, reason } : { verdict });
      setNotes((n) => ({ ...n, [p.id]: { ok: true, text: verdict === "approve" ? t("approved", { title }) : t("rejected", { title }) } }));
      await load();
    } catch (e) {
      setNotes((n) => ({ ...n, [p.id]: { ok: false, text: describeError(e) } }));
    }
  };

  return (
    <div className="page approvals-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
      </div>
      {Object.entries(notes)
        .filter(([id]) => !posts.some((p) => p.id === id))
        .map(([id, n]) => (
          <p key={id} className={n.ok ? "notice ok" : "notice error"} role="status">
            {n.text}
          </p>
        ))}
      {loaded && posts.length === 0 && <p className="muted">{t("empty")}</p>}
      <ul className="approval-list">
        {posts.map((p) => (
          <li key={p.id} className="card approval" data-testid="approval-item" data-post-id={p.id}>
            <div className="row">
              <h2>{p.title || t("untitled")}</h2>
              {p.sensitive && <span className="badge warn">{t("sensitive")}</span>}
              {p.crisis_statement && <span className="badge danger">{t("crisis")}</span>}
              <span className="muted">
                {p.scheduled_at ? t("slot", { time: new Date(p.scheduled_at).toLocaleString(locale) }) : t("noSlot")}
              </span>
            </div>
            {p.targets.map((x) => (
              <div key={x.id} className="approval-target">
                <span className="muted">
                  {accountLabel(
                    accounts.find((a) => a.id === x.account_id),
                    x.account_id,
                  )}{" "}
                  · {ts(x.state)}
                </span>
                <p className="approval-text">{x.text}</p>
              </div>
            ))}
            {p.review && (
              <div className="review">
                <ol className="stages">
                  {p.review.stages.map((s) => (
                    <li key={s.name} className={s.complete ? "done" : s.name === p.review?.current_stage ? "open" : ""}>
                      {t("stage", { name: s.name, got: s.approved_by.length, need: s.required })}
                    </li>
                  ))}
                </ol>
                {p.review.missing.length > 0 && <p className="muted">{t("missing", { what: p.review.missing.join("; ") })}</p>}
                {p.review.deadline && <p className="muted">{t("deadline", { time: new Date(p.review.deadline).toLocaleString(locale) })}</p>}
              </div>
            )}
            <label>
              {t("reason")}
              <input value={reasons[p.id] ?? ""} onChange={(e) => setReasons((r) => ({ ...r, [p.id]: e.target.value }))} />
            </label>
            <div className="row">
              <button type="button" className="primary" onClick={() => void decide(p, "approve")}>
                {t("approve")}
              </button>
              <button type="button" className="danger" onClick={() => void decide(p, "reject")}>
                {t("reject")}
              </button>
            </div>
            {notes[p.id] && (
              <p className={notes[p.id].ok ? "notice ok" : "notice error"} role="status">
                {notes[p.id].text}
              </p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
