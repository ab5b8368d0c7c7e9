#include "services/inbox/inbox.hpp"

#include <map>
#include <set>

#include "herald/adapters/capabilities.hpp"
#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/utf8.hpp"
#include "services/core/util/uuid.hpp"
#include "services/inbox/domain/enrichment.hpp"
#include "services/inbox/domain/kinds.hpp"
#include "services/inbox/routing.hpp"
#include "services/inbox/sla.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

// Comments thread under their post, DMs under their conversation; a mention is its own thread.
std::string thread_key(const adapters::InboundItem& item) {
  switch (item.kind) {
    case adapters::InboundKind::kComment:
      return item.platform_post_id.empty() ? item.platform_item_id : item.platform_post_id;
    case adapters::InboundKind::kDirectMessage:
      return item.conversation_id.empty() ? item.author_id : item.conversation_id;
    case adapters::InboundKind::kMention: break;
  }
  return item.platform_item_id;
}

std::optional<std::string> opt(const std::optional<std::string>& s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

// The brands `p` reads the inbox of in full (nullopt: all, an admin) and the single accounts of
// memberships limited to some accounts, as PostgreSQL array literals.
struct Readable {
  std::optional<std::string> brands;
  std::string accounts = "{}";
};

std::string array_literal(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ',';
    out += id;  // uuids only: no quoting needed
  }
  return out + "}";
}

Readable readable(const iam::Principal& p) {
  Readable r;
  if (p.is_admin) return r;
  std::vector<std::string> brands, accounts;
  for (const auto& m : p.memberships) {
    if (!p.can(perm::kInboxRead, m.brand_id) || !core::is_uuid(m.brand_id)) continue;
    if (!m.account_ids) {
      brands.push_back(m.brand_id);
      continue;
    }
    for (const auto& a : *m.account_ids) {
      if (core::is_uuid(a)) accounts.push_back(a);
    }
  }
  r.brands = array_literal(brands);
  r.accounts = array_literal(accounts);
  return r;
}

// "L***": enough for a reader to tell people apart in a thread, not to find them.
std::string masked(const std::string& s) {
  if (s.empty()) return s;
  std::size_t i = 0;
  auto c = core::utf8::next(s, i);
  std::string out = c ? s.substr(0, i) : std::string();
  return out + "***";
}

void check_uuid_filter(const std::optional<std::string>& v, const std::string& field) {
  if (v && !core::is_uuid(*v)) http::invalid_field(field, "must be a UUID");
}

}  // namespace

Inbox::Inbox(core::pg::Pool& pg, iam::Identity& identity, InboxOptions options, ReplyLimit limit)
    : pg_(pg), identity_(identity), options_(options), limit_(std::move(limit)), routing_(pg, identity) {}

// One delivery (or one poll) in three statements, whatever its size: the threads, the items, the
// threads' counters. The same outcome as taking the items one by one in their order.
IngestResult Inbox::ingest(const contracts::AccountRef& account, const std::vector<adapters::InboundItem>& items) {
  IngestResult out;
  out.received = static_cast<int>(items.size());
  struct Row {
    const adapters::InboundItem* item;
    Enrichment e;
    int priority;
    std::string kind, sentiment, thread_key;
  };
  std::vector<Row> rows;
  rows.reserve(items.size());
  for (const auto& item : items) {
    if (item.platform_item_id.empty()) continue;
    auto e = enrich(item.text);
    PriorityInput pi;
    pi.sentiment = e.sentiment;
    pi.category = e.category;
    pi.author_verified = item.author_verified;
    pi.direct_message = item.kind == adapters::InboundKind::kDirectMessage;
    auto sentiment = std::string(to_string(e.sentiment));
    rows.push_back(Row{&item, e, priority(pi), std::string(kind_name(item.kind)), std::move(sentiment), thread_key(item)});
  }
  if (rows.empty()) return out;
  using Key = std::pair<std::string, std::string>;  // (kind, thread key)
  std::map<Key, const Row*> threads;                 // the first item of each thread opens it
  for (const auto& r : rows) threads.try_emplace(Key{r.kind, r.thread_key}, &r);
  std::vector<std::string> changed;
  SlaPolicy fallback;
  fallback.first_response = options_.first_response;
  auto plan = routing_.plan(account.org_id, account.brand_id);  // nullopt: the brand routes nothing
  pg_.transact([&](pqxx::work& tx) {
    changed.clear();
    // The clocks that start now are due under the brand's policy, in its business hours.
    auto due = sla_due(sla_policy_for(tx, account.brand_id, fallback), std::chrono::system_clock::now());
    std::vector<std::string> kinds, keys, posts, sentiments;
    std::vector<int> priorities;
    for (const auto& [key, r] : threads) {
      kinds.push_back(key.first);
      keys.push_back(key.second);
      posts.push_back(r->item->platform_post_id);
      priorities.push_back(r->priority);
      sentiments.push_back(r->sentiment);
    }
    std::map<Key, std::int64_t> thread_ids;
    std::vector<NewThread> opened;
    std::vector<std::int64_t> new_dms;
    std::vector<std::string> new_dm_authors;
    for (const auto& t : tx.exec_prepared("inbox_threads_upsert_many", account.org_id, account.brand_id, account.id,
                                          account.platform, core::pg::text_array(kinds), core::pg::text_array(keys),
                                          core::pg::text_array(posts), core::pg::number_array(priorities),
                                          core::pg::text_array(sentiments), due.first_response_s, due.resolution_s)) {
      Key key{t[1].as<std::string>(), t[2].as<std::string>()};
      thread_ids[key] = t[0].as<std::int64_t>();
      if (t[3].as<bool>()) {
        const auto* first = threads.at(key)->item;
        if (plan) opened.push_back({t[0].as<std::int64_t>(), RouteInput{first->text, account.id, key.first}});
        if (key.first == "dm" && !first->author_id.empty()) {
          new_dms.push_back(t[0].as<std::int64_t>());
          new_dm_authors.push_back(first->author_id);
        }
      }
    }
    // New threads go to whom the brand's routing says (before the items: the thread's pushed
    // state then carries its assignee).
    if (plan) routing_.route_new(tx, account.brand_id, *plan, opened, std::chrono::system_clock::now());
    // A DM conversation that follows a private answer to a comment is linked to that comment.
    if (!new_dms.empty()) {
      tx.exec_prepared("inbox_handoff_link", account.id, core::pg::number_array(new_dms), core::pg::text_array(new_dm_authors));
    }

    std::vector<std::int64_t> thread_of, created;
    std::vector<std::string> kind, item_id, post_id, parent_id, conversation_id, author_id, author_handle, author_name,
        verified, body, language, sentiment, category;
    std::vector<double> score;
    std::vector<int> prio;
    for (const auto& r : rows) {
      const auto& i = *r.item;
      thread_of.push_back(thread_ids.at(Key{r.kind, r.thread_key}));
      kind.push_back(r.kind);
      item_id.push_back(i.platform_item_id);
      post_id.push_back(i.platform_post_id);
      parent_id.push_back(i.parent_id);
      conversation_id.push_back(i.conversation_id);
      author_id.push_back(i.author_id);
      author_handle.push_back(i.author_handle);
      author_name.push_back(i.author_name);
      verified.emplace_back(i.author_verified ? "t" : "f");
      body.push_back(i.text);
      created.push_back(i.created_at > 0 ? i.created_at : 0);
      language.push_back(r.e.language);
      sentiment.push_back(r.sentiment);
      score.push_back(r.e.sentiment_score);
      category.emplace_back(to_string(r.e.category));
      prio.push_back(r.priority);
    }
    std::set<std::string> stored;
    for (const auto& row : tx.exec_prepared(
             "inbox_items_insert_many", account.org_id, account.id, core::pg::number_array(thread_of),
             core::pg::text_array(kind), core::pg::text_array(item_id), core::pg::text_array(post_id),
             core::pg::text_array(parent_id), core::pg::text_array(conversation_id), core::pg::text_array(author_id),
             core::pg::text_array(author_handle), core::pg::text_array(author_name), core::pg::text_array(verified),
             core::pg::text_array(body), core::pg::number_array(created), core::pg::text_array(language),
             core::pg::text_array(sentiment), core::pg::number_array(score), core::pg::text_array(category),
             core::pg::number_array(prio))) {
      stored.insert(row[0].as<std::string>());
    }
    out.stored = static_cast<int>(stored.size());
    out.duplicates = static_cast<int>(rows.size()) - out.stored;
    if (stored.empty()) return;

    // Per thread: how many new items, their highest priority, the last one's sentiment.
    struct Took {
      int n = 0;
      int priority = 0;
      std::string sentiment;
    };
    std::map<std::int64_t, Took> took;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      // An id stored once: only its first occurrence in the delivery is the new item.
      auto it = stored.find(rows[k].item->platform_item_id);
      if (it == stored.end()) continue;
      stored.erase(it);
      auto& t = took[thread_of[k]];
      t.priority = t.n == 0 ? rows[k].priority : std::max(t.priority, rows[k].priority);
      ++t.n;
      t.sentiment = rows[k].sentiment;
    }
    std::vector<std::int64_t> ids;
    std::vector<int> counts, priorities_taken;
    std::vector<std::string> last_sentiments;
    for (const auto& [id, t] : took) {
      ids.push_back(id);
      counts.push_back(t.n);
      priorities_taken.push_back(t.priority);
      last_sentiments.push_back(t.sentiment);
    }
    for (const auto& row : tx.exec_prepared("inbox_threads_took_items", core::pg::number_array(ids),
                                            core::pg::number_array(counts), core::pg::number_array(priorities_taken),
                                            core::pg::text_array(last_sentiments), false, due.first_response_s,
                                            due.resolution_s)) {
      changed.push_back(row[0].as<std::string>());
    }
  });
  for (const auto& t : changed) notify(account.brand_id, "inbox.thread", json::parse(t));
  return out;
}

Inbox::ThreadRef Inbox::visible(pqxx::work& tx, const iam::Principal& p, std::int64_t id,
                                std::string_view permission) {
  auto rows = tx.exec_prepared("inbox_thread_get", id, p.org_id);
  if (rows.empty()) http::not_found("no such thread");
  ThreadRef t{json::parse(rows[0][0].as<std::string>()), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
  if (!p.can_on_account(perm::kInboxRead, t.brand_id, t.account_id)) http::not_found("no such thread");
  if (permission != perm::kInboxRead && !p.can_on_account(permission, t.brand_id, t.account_id)) {
    http::forbidden("you may not do this on this thread: it needs " + std::string(permission));
  }
  return t;
}

std::string Inbox::thread_brand(const iam::Principal& p, std::int64_t thread_id, std::string_view permission) {
  return pg_.transact([&](pqxx::work& tx) { return visible(tx, p, thread_id, permission).brand_id; });
}

json Inbox::list(const iam::Principal& p, const ListQuery& q) {
  check_uuid_filter(opt(q.brand_id), "brand_id");
  check_uuid_filter(opt(q.account_id), "account_id");
  if (q.assignee && !q.assignee->empty() && *q.assignee != "me") check_uuid_filter(q.assignee, "assignee");
  std::optional<std::string> assignee = q.assignee;
  if (assignee && *assignee == "me") assignee = p.user_id;
  std::optional<int> cursor_priority;
  std::optional<std::int64_t> cursor_id;
  if (q.cursor && !q.cursor->empty()) {
    // "<priority>.<id>": the last row of the previous page.
    const auto& c = *q.cursor;
    auto dot = c.find('.');
    try {
      if (dot == std::string::npos) throw std::invalid_argument("no dot");
      std::size_t used = 0;
      cursor_priority = std::stoi(c.substr(0, dot), &used);
      if (used != dot) throw std::invalid_argument("priority");
      cursor_id = std::stoll(c.substr(dot + 1), &used);
      if (used != c.size() - dot - 1) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      http::invalid_field("cursor", "malformed cursor: pass next_cursor from the previous page");
    }
  }
  auto who = readable(p);
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    std::string last;
    auto rows = tx.exec_prepared("inbox_threads_list", p.org_id, who.brands, who.accounts, opt(q.brand_id),
                                 opt(q.account_id), opt(q.platform), opt(q.status), opt(q.kind), assignee, q.sort,
                                 cursor_priority, cursor_id, q.limit + 1, opt(q.sla));
    for (std::size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i) {
      items.push_back(json::parse(rows[i][0].as<std::string>()));
      last = std::to_string(rows[i][1].as<int>()) + "." + std::to_string(rows[i][2].as<std::int64_t>());
    }
    json out{{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<int>(rows.size()) > q.limit) out["next_cursor"] = last;
    return out;
  });
}

json Inbox::get(const iam::Principal& p, std::int64_t thread_id) {
  return pg_.transact([&](pqxx::work& tx) {
    auto t = visible(tx, p, thread_id, perm::kInboxRead);
    json items = json::array(), replies = json::array(), notes = json::array();
    for (const auto& r : tx.exec_prepared("inbox_thread_items", thread_id)) items.push_back(json::parse(r[0].as<std::string>()));
    for (const auto& r : tx.exec_prepared("inbox_thread_replies", thread_id)) replies.push_back(json::parse(r[0].as<std::string>()));
    for (const auto& r : tx.exec_prepared("inbox_thread_notes", thread_id)) notes.push_back(json::parse(r[0].as<std::string>()));
    auto out = t.json;
    // Who wrote is personal data: those who do not answer this inbox see it masked.
    bool mask = !p.can_on_account(perm::kInboxReply, t.brand_id, t.account_id);
    if (mask) {
      for (auto& item : items) {
        if (item.value("direction", "") != "in") continue;
        auto& a = item["author"];
        a["id"] = "";
        a["handle"] = masked(a.value("handle", ""));
        a["name"] = masked(a.value("name", ""));
      }
    }
    out["personal_data"] = mask ? "masked" : "shown";
    out["items"] = items;
    out["replies"] = replies;
    out["notes"] = notes;
    return out;
  });
}

json Inbox::assign(const iam::Principal& p, std::int64_t thread_id, const std::optional<std::string>& assignee,
                   std::optional<int> version) {
  if (assignee && !core::is_uuid(*assignee)) http::invalid_field("assignee_id", "must be a user id (UUID) or null");
  bool self = assignee && *assignee == p.user_id;
  json changed;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    // Taking a thread oneself needs only the reply permission; assigning others needs inbox.assign.
    auto t = visible(tx, p, thread_id, self ? perm::kInboxReply : perm::kInboxAssign);
    auto rows = tx.exec_prepared("inbox_thread_assign", thread_id, p.org_id, assignee, version);
    if (rows.empty()) http::precondition_failed("the thread changed since you read it (version " +
                                                std::to_string(t.json.value("version", 0)) + " now)");
    changed = json::parse(rows[0][0].as<std::string>());
    brand = t.brand_id;
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.assign", "inbox_thread", std::to_string(thread_id), t.brand_id,
                            {{"assignee_id", assignee ? json(*assignee) : json(nullptr)}}});
  });
  notify(brand, "inbox.thread", changed);
  return changed;
}

json Inbox::set_status(const iam::Principal& p, std::int64_t thread_id, const std::string& status,
                       const std::string& reason, std::optional<int> version) {
  if (status != "open" && status != "pending" && status != "resolved" && status != "closed") {
    http::invalid_field("status", "must be open, pending, resolved or closed");
  }
  if (status == "pending" && reason.empty()) http::invalid_field("reason", "a pending thread needs a reason");
  json changed;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto t = visible(tx, p, thread_id, perm::kInboxReply);
    auto rows = tx.exec_prepared("inbox_thread_status", thread_id, p.org_id, status,
                                 status == "pending" ? reason : std::string(), version);
    if (rows.empty()) http::precondition_failed("the thread changed since you read it");
    changed = json::parse(rows[0][0].as<std::string>());
    brand = t.brand_id;
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.status", "inbox_thread", std::to_string(thread_id), t.brand_id,
                            {{"status", status}, {"reason", reason}}});
  });
  notify(brand, "inbox.thread", changed);
  return changed;
}

json Inbox::add_note(const iam::Principal& p, std::int64_t thread_id, const std::string& text) {
  json note;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto t = visible(tx, p, thread_id, perm::kInboxReply);
    note = json::parse(tx.exec_prepared1("inbox_note_insert", thread_id, p.user_id,
                                         p.label(), text)[0]
                           .as<std::string>());
    brand = t.brand_id;
  });
  notify(brand, "inbox.note", {{"thread_id", thread_id}, {"note", note}});
  return note;
}

json Inbox::reply(const iam::Principal& p, std::int64_t thread_id, const ReplyRequest& r) {
  json reply;
  std::string brand;
  bool queued = true;
  pg_.transact([&](pqxx::work& tx) {
    auto t = visible(tx, p, thread_id, perm::kInboxReply);
    if (r.seen_version) {
      auto now = tx.exec_prepared1("inbox_thread_lock", thread_id)[0].as<int>();
      if (*r.seen_version != now) {
        http::precondition_failed("the thread changed since you read it (version " + std::to_string(now) +
                                  " now): someone may have answered already; read it, then send again");
      }
    }
    auto platform = t.json.value("platform", "");
    auto rules = limit_ ? limit_(platform) : ReplyRules{};
    auto max = rules.max_chars > 0 ? static_cast<std::size_t>(rules.max_chars) : options_.max_reply_chars;
    auto chars = static_cast<std::size_t>(adapters::count_text(adapters::TextCounting::kCodePoints, r.text));
    if (chars > max) {
      http::invalid_field("text", "too long for " + platform + ": " + std::to_string(chars) + " characters, at most " +
                                      std::to_string(max));
    }
    bool dm = r.is_private || t.json.value("kind", "") == "dm";
    if (dm && !rules.can_dm) http::invalid_field("private", platform + " cannot send a direct message from here");
    if (!dm && !rules.can_reply) http::invalid_field("text", platform + " does not take replies through its API");
    std::int64_t item = 0;
    if (r.item_id) {
      auto rows = tx.exec_prepared("inbox_item_of_thread", *r.item_id, thread_id);
      if (rows.empty()) http::invalid_field("item_id", "no inbound item with this id in the thread");
      item = *r.item_id;
    } else {
      auto rows = tx.exec_prepared("inbox_last_inbound_item", thread_id);
      if (rows.empty()) http::conflict("the thread has nothing to answer");
      item = rows[0][0].as<std::int64_t>();
    }
    // A brand may want a second person to approve replies (always, or while a freeze covers
    // the thread: an incident).
    bool needs_approval = false;
    if (auto a = tx.exec_prepared("inbox_reply_approval_get", t.brand_id); !a.empty()) {
      auto mode = a[0][0].as<std::string>();
      if (mode == "always") {
        needs_approval = true;
      } else if (freeze_scopes_) {
        std::vector<std::string> scopes;
        try {
          scopes = freeze_scopes_();
        } catch (const std::exception&) {
          scopes = {"all"};  // the fence cannot be read: as if frozen, so a person checks the reply
        }
        const std::string org = p.org_id;
        for (const auto& s : scopes) {
          if (s == "all" || s == "org:" + org || s == "brand:" + t.brand_id || s == "platform:" + platform ||
              s == "org:" + org + ":platform:" + platform || s == "account:" + t.account_id) {
            needs_approval = true;
          }
        }
      }
    }
    queued = !needs_approval;
    reply = json::parse(tx.exec_prepared1("inbox_reply_insert", thread_id, item, p.org_id, p.user_id,
                                          p.label(), r.text, r.is_private,
                                          false, needs_approval ? "pending_approval" : "queued")[0]
                            .as<std::string>());
    if (r.is_private && t.json.value("kind", "") != "dm") {
      // Comment -> DM handoff: the person's DM conversation is linked to this thread.
      auto author = tx.exec_prepared1("inbox_item_author", item)[0].as<std::string>();
      if (!author.empty()) tx.exec_prepared("inbox_handoff_record", t.account_id, author, thread_id);
    }
    brand = t.brand_id;
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.reply", "inbox_thread", std::to_string(thread_id), t.brand_id,
                            {{"reply_id", reply["id"]}, {"private", r.is_private}}});
  });
  notify(brand, "inbox.reply", reply);
  if (queued && reply_queued_) reply_queued_();
  return reply;
}

json Inbox::reply_approval(const iam::Principal& p, const std::string& brand_id) {
  if (!core::is_uuid(brand_id) || !p.can(perm::kInboxRead, brand_id)) http::not_found("no such brand");
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_reply_approval_get", brand_id);
    if (rows.empty()) return json{{"brand_id", brand_id}, {"mode", nullptr}, {"updated_by", nullptr}, {"updated_at", nullptr}};
    return json{{"brand_id", brand_id},
                {"mode", rows[0][0].as<std::string>()},
                {"updated_by", rows[0][1].as<std::string>()},
                {"updated_at", rows[0][2].as<std::string>()}};
  });
}

json Inbox::set_reply_approval(const iam::Principal& p, const std::string& brand_id,
                               const std::optional<std::string>& mode) {
  if (!core::is_uuid(brand_id) || !p.can(perm::kInboxRead, brand_id)) http::not_found("no such brand");
  if (!p.can(perm::kBrandManage, brand_id)) http::forbidden("requiring reply approvals needs brand.manage");
  if (mode && *mode != "always" && *mode != "during_freeze") {
    http::invalid_field("mode", "must be always, during_freeze, or null for none");
  }
  pg_.transact([&](pqxx::work& tx) {
    if (mode) {
      tx.exec_prepared("inbox_reply_approval_put", brand_id, p.org_id, *mode, p.label());
    } else {
      tx.exec_prepared("inbox_reply_approval_delete", brand_id, p.org_id);
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.reply_approval", "brand", brand_id, brand_id, {{"mode", mode ? json(*mode) : json(nullptr)}}});
  });
  return reply_approval(p, brand_id);
}

json Inbox::review_reply(const iam::Principal& p, std::int64_t reply_id, bool approve, const std::string& note) {
  json out;
  std::string brand;
  pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_reply_for_review", reply_id, p.org_id);
    if (rows.empty()) http::not_found("no such reply");
    auto thread_id = rows[0][0].as<std::int64_t>();
    auto t = visible(tx, p, thread_id, perm::kInboxAssign);
    if (rows[0][2].as<std::string>() != "pending_approval") http::conflict("this reply is not waiting for approval");
    if (!rows[0][1].is_null() && rows[0][1].as<std::string>() == p.user_id) {
      http::forbidden("someone else approves your reply");
    }
    auto r = tx.exec_prepared("inbox_reply_review", reply_id, p.org_id, approve ? "queued" : "rejected", p.label(), note);
    if (r.empty()) http::conflict("this reply is not waiting for approval");
    out = json::parse(r[0][0].as<std::string>());
    brand = t.brand_id;
    identity_.append_audit(tx, iam::Actor::of(p),
                           {approve ? "inbox.reply.approve" : "inbox.reply.reject", "inbox_thread", std::to_string(thread_id),
                            t.brand_id, {{"reply_id", reply_id}, {"note", note}}});
  });
  notify(brand, "inbox.reply", out);
  if (approve && reply_queued_) reply_queued_();
  return out;
}

void Inbox::reply_changed(const std::string& brand_id, const json& reply) { notify(brand_id, "inbox.reply", reply); }

void Inbox::notify(const std::string& brand_id, const std::string& type, const json& data) {
  if (!listener_) return;
  listener_(brand_id, json{{"type", type}, {"data", data}}.dump());
}

}  // namespace herald::inbox
