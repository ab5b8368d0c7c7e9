// The content calendar: month / week / day / list views (FullCalendar), posts coloured by status
// or campaign, drag to reschedule, approved posts without a slot dragged in from the side, held
// posts marked, the time zone shown. Refreshes itself while open (and at once on crisis events).
import type { EventClickArg, EventContentArg, EventDropArg, EventInput } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { Draggable, type DropArg } from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { describeError } from "../../api";
import { common } from "../../i18n/common";
import { useLocale, useT } from "../../i18n/i18n";
import { accountLabel, useAccounts } from "../../lib/accounts";
import { useActiveFreezes } from "../../lib/freezes";
import {
  browserZone,
  listPosts,
  MOVABLE,
  schedulePost,
  stateLabels,
  STATES,
  type PostStatus,
  type PostSummary,
} from "../../lib/posts";
import { Link } from "../../router";
import { useSession } from "../../session";
import { useStream } from "../../stream";
import "./calendar.css";
import { messages } from "./messages";

const SLOT_MINUTES = 30;
const SNAP_MINUTES = 5; // drags and drops land on 5-minute marks
// A drop onto "now" (a mark at most this far in the past) means "as soon as possible": ASAP_MS ahead.
const ASAP_WINDOW_MS = 10 * 60_000;
const ASAP_MS = 15_000;

function campaignColour(id: string | null): string {
  if (!id) return "#6b7280";
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h} 55% 38%)`;
}

export default function CalendarPage() {
  const t = useT(messages);
  const tc = useT(common);
  const ts = useT(stateLabels);
  const { locale } = useLocale();
  const { brandId, can } = useSession();
  const accounts = useAccounts(brandId);
  const { freezes } = useActiveFreezes();
  const [colorBy, setColorBy] = useState<"status" | "campaign">("status");
  const [status, setStatus] = useState("");
  const [accountId, setAccountId] = useState("");
  const [tag, setTag] = useState("");
  const [unscheduled, setUnscheduled] = useState<PostSummary[]>([]);
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [selected, setSelected] = useState<PostSummary | null>(null);
  const side = useRef<HTMLUListElement>(null);
  const zone = browserZone();
  const mayPublish = can("post.publish");
  // FullCalendar resets itself when an option changes, so every option object is made once.
  const [options] = useState(() => ({
    plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin],
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
    slotDuration: { minutes: SLOT_MINUTES },
    snapDuration: { minutes: SNAP_MINUTES },
    // The grid scrolls inside its box (the side list stays beside the hours), starting an hour ago.
    height: Math.max(480, window.innerHeight - 230),
    scrollTime: new Date(Date.now() - 3600_000).toTimeString().slice(0, 8),
  }));
  const buttonText = useMemo(
    () => ({ prev: "‹", next: "›", today: t("today"), month: t("month"), week: t("week"), day: t("day"), list: t("list") }),
    [t],
  );

  const filters = useMemo(
    () => ({ brand_id: brandId || undefined, account_id: accountId || undefined, status: status || undefined, tag: tag || undefined }),
    [brandId, accountId, status, tag],
  );

  const loadUnscheduled = useCallback(() => {
    listPosts({ brand_id: filters.brand_id, account_id: filters.account_id, status: "APPROVED" })
      .then((posts) => setUnscheduled(posts.filter((p) => !p.scheduled_at)))
      .catch(() => setUnscheduled([]));
  }, [filters.brand_id, filters.account_id]);

  const refresh = useCallback(() => {
    setReloads((n) => n + 1);
    loadUnscheduled();
  }, [loadUnscheduled]);

  useEffect(loadUnscheduled, [loadUnscheduled]);
  // Targets move on by themselves (dispatched, published, held): look again every few seconds.
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, 5000);
    return () => clearInterval(id);
  }, [refresh]);
  useStream((e) => {
    if (e.type.startsWith("crisis.") || e.type.startsWith("post.") || e.type === "stream.connected") refresh();
  });

  // The posts of the visible range, held here (FullCalendar shows what it is given); the range
  // comes from FullCalendar on every view or date change (datesSet).
  const [range, setRange] = useState<{ start: Date; end: Date } | null>(null);
  const [posts, setPosts] = useState<PostSummary[]>([]);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    if (!range) return;
    const ctl = new AbortController();
    listPosts({ ...filters, from: range.start.toISOString(), to: range.end.toISOString() }, ctl.signal)
      .then(setPosts)
      .catch(() => {});
    return () => ctl.abort();
  }, [range, filters, reloads]);

  const events = useMemo<EventInput[]>(
    () =>
      posts
        .filter((p) => p.scheduled_at)
        .map((p) => ({
          id: p.id,
          title: p.title || t("untitled"),
          start: p.scheduled_at!,
          allDay: false,
          editable: mayPublish && MOVABLE.includes(p.status),
          classNames: [`ev`, `ev-${p.status.toLowerCase()}`],
          backgroundColor: colorBy === "campaign" ? campaignColour(p.campaign_id) : undefined,
          borderColor: colorBy === "campaign" ? campaignColour(p.campaign_id) : undefined,
          extendedProps: { post: p },
        })),
    [posts, colorBy, mayPublish, t],
  );

  // Where a drop lands: the slot itself, or soon when the slot has already begun.
  const slotFor = (date: Date): { at: Date; asap: boolean } | null => {
    const now = Date.now();
    if (date.getTime() > now + 1000) return { at: date, asap: false };
    if (now - date.getTime() < ASAP_WINDOW_MS) return { at: new Date(now + ASAP_MS), asap: true };
    return null;
  };

  const schedule = async (post: PostSummary, date: Date): Promise<boolean> => {
    const slot = slotFor(date);
    if (!slot) {
      setNotice({ kind: "error", text: t("pastSlot") });
      return false;
    }
    try {
      await schedulePost(post.id, slot.at, post.zone || zone);
      const title = post.title || t("untitled");
      const time = slot.at.toLocaleString(locale);
      setNotice({ kind: "ok", text: slot.asap ? t("scheduledAsap", { title, time }) : t("scheduled", { title, time }) });
      refresh();
      return true;
    } catch (e) {
      setNotice({ kind: "error", text: describeError(e) });
      return false;
    }
  };

  // Approved posts without a slot can be dragged onto the calendar.
  useEffect(() => {
    if (!side.current || !mayPublish) return;
    const d = new Draggable(side.current, {
      itemSelector: ".unscheduled-item",
      eventData: (el) => ({ title: el.getAttribute("data-title") ?? "", duration: "00:30", create: false }),
    });
    return () => d.destroy();
  }, [mayPublish]);

  const onDrop = (arg: DropArg) => {
    const id = arg.draggedEl.getAttribute("data-post-id");
    const post = unscheduled.find((p) => p.id === id);
    if (post) void schedule(post, arg.date);
  };

  const onEventDrop = async (arg: EventDropArg) => {
    const post = arg.event.extendedProps.post as PostSummary;
    if (!arg.event.start || !(await schedule(post, arg.event.start))) arg.revert();
  };

  const renderEvent = (arg: EventContentArg) => {
    const post = arg.event.extendedProps.post as PostSummary | undefined;
    // The mirror of a post being dragged in from the side list has no post behind it yet.
    if (!post) return <div className="ev-body ev-title">{arg.event.title}</div>;
    const platforms = [...new Set(post.targets.map((x) => x.platform))].join(", ");
    return (
      <div className="ev-body" data-testid="calendar-event" data-post-id={post.id} data-status={post.status}>
        {arg.timeText && <span className="ev-time">{arg.timeText}</span>}
        <span className="ev-title">{arg.event.title}</span>
        <span className="ev-status">{ts(post.status)}</span>
        {platforms && <span className="ev-platforms">{platforms}</span>}
      </div>
    );
  };

  const onEventClick = (arg: EventClickArg) => setSelected(arg.event.extendedProps.post as PostSummary);

  const fcLocale = locale === "en" ? "en-gb" : locale.toLowerCase();

  return (
    <div className="page calendar-page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        <span className="muted" data-testid="calendar-zone">
          {t("timesIn", { zone })}
        </span>
        {can("post.write") && (
          <Link to="/compose" className="button-link">
            {t("openCompose")}
          </Link>
        )}
      </div>
      <div className="row calendar-filters">
        <label>
          {t("status")}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t("anyStatus")}</option>
            {STATES.filter((s) => s !== "MIXED").map((s) => (
              <option key={s} value={s}>
                {ts(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("account")}
          <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            <option value="">{t("anyAccount")}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("tag")}
          <input value={tag} onChange={(e) => setTag(e.target.value.trim())} size={12} />
        </label>
        <label>
          {t("colorBy")}
          <select value={colorBy} onChange={(e) => setColorBy(e.target.value as "status" | "campaign")}>
            <option value="status">{t("byStatus")}</option>
            <option value="campaign">{t("byCampaign")}</option>
          </select>
        </label>
      </div>
      {freezes.length > 0 && <p className="frozen-note">{t("frozenNote")}</p>}
      {notice && (
        <p className={notice.kind === "ok" ? "notice ok" : "notice error"} role="status" data-testid="calendar-notice">
          {notice.text}
          <button type="button" className="link-button" onClick={() => setNotice(null)} aria-label={tc("close")}>
            ×
          </button>
        </p>
      )}
      <div className="calendar-layout">
        <div className="calendar-main card">
          <FullCalendar
            plugins={options.plugins}
            initialView="timeGridWeek"
            headerToolbar={options.headerToolbar}
            buttonIcons={false}
            buttonText={buttonText}
            locale={fcLocale}
            timeZone="local"
            firstDay={1}
            nowIndicator
            height={options.height}
            slotDuration={options.slotDuration}
            snapDuration={options.snapDuration}
            scrollTime={options.scrollTime}
            events={events}
            datesSet={(arg) =>
              setRange((r) => (r && r.start.getTime() === arg.start.getTime() && r.end.getTime() === arg.end.getTime() ? r : { start: arg.start, end: arg.end }))
            }
            eventContent={renderEvent}
            eventClick={onEventClick}
            eventDrop={onEventDrop}
            eventDurationEditable={false}
            droppable={mayPublish}
            drop={onDrop}
            dayMaxEvents={4}
          />
        </div>
        <aside className="calendar-side card" aria-labelledby="unscheduled-title">
          <h2 id="unscheduled-title">{t("unscheduled")}</h2>
          <p className="muted">{t("unscheduledHelp")}</p>
          <ul ref={side} className="unscheduled-list" data-testid="unscheduled-list">
            {unscheduled.map((p) => (
              <li
                key={p.id}
                className="unscheduled-item"
                data-post-id={p.id}
                data-title={p.title || t("untitled")}
                tabIndex={0}
              >
                <strong>{p.title || t("untitled")}</strong>
                <span className="muted">{[...new Set(p.targets.map((x) => x.platform))].join(", ")}</span>
              </li>
            ))}
          </ul>
          {unscheduled.length === 0 && <p className="muted">{t("noneUnscheduled")}</p>}
          <h2>{t("legend")}</h2>
          <ul className="legend">
            {(["DRAFT", "IN_REVIEW", "APPROVED", "SCHEDULED", "SENDING", "PUBLISHED", "FAILED", "HELD", "EXPIRED"] as PostStatus[]).map(
              (s) => (
                <li key={s}>
                  <span className={`swatch ev-${s.toLowerCase()}`} aria-hidden /> {ts(s)}
                </li>
              ),
            )}
          </ul>
        </aside>
      </div>
      {selected && (
        <div className="card post-detail" role="dialog" aria-labelledby="post-detail-title" data-testid="post-detail">
          <div className="row">
            <h2 id="post-detail-title">{selected.title || t("untitled")}</h2>
            <span className={`badge ev-${selected.status.toLowerCase()}`}>{ts(selected.status)}</span>
            <button type="button" className="link-button" onClick={() => setSelected(null)}>
              {tc("close")}
            </button>
          </div>
          {selected.scheduled_at && (
            <p>
              {t("slot")}: {new Date(selected.scheduled_at).toLocaleString(locale)}
              {selected.local_time && selected.zone && <> · {t("local", { time: selected.local_time, zone: selected.zone })}</>}
            </p>
          )}
          <h3>{t("targets")}</h3>
          <ul>
            {selected.targets.map((x) => (
              <li key={x.id}>
                {accountLabel(
                  accounts.find((a) => a.id === x.account_id),
                  x.account_id,
                )}{" "}
                — {ts(x.state)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
