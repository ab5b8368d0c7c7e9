#include "services/inbox/saved_replies.hpp"

#include <algorithm>
#include <cmath>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/utf8.hpp"
#include "services/core/util/uuid.hpp"
#include "services/inbox/domain/templates.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

void check_variables(std::string_view text, const std::string& field) {
  auto unknown = unknown_variables(text);
  if (unknown.empty()) return;
  std::string names, known;
  for (const auto& u : unknown) names += (names.empty() ? "{{" : ", {{") + u + "}}";
  for (const auto& k : template_variables()) known += (known.empty() ? "{{" : ", {{") + k + "}}";
  http::invalid_field(field, "unknown variable " + names + ": a saved reply may use " + known);
}

// The brands whose entries `p` reads (nullopt: all, an administrator), as an array literal.
std::optional<std::string> readable_brands(const iam::Principal& p) {
  if (p.is_admin) return std::nullopt;
  return core::pg::text_array(p.brands_with(perm::kInboxRead));
}

// The first `n` characters of `text` on one line (a title made from a question or an answer).
std::string first_chars(std::string_view text, std::size_t n) {
  std::string out;
  std::size_t i = 0, taken = 0;
  while (i < text.size() && taken < n) {
    auto c = core::utf8::next(text, i);
    if (!c) continue;
    core::utf8::append(out, *c == '\n' || *c == '\r' || *c == '\t' ? U' ' : *c);
    ++taken;
  }
  auto end = out.find_last_not_of(' ');
  out.erase(end == std::string::npos ? 0 : end + 1);
  if (i < text.size()) out += "…";
  return out;
}

// "@handle" (a handle written with its @ already, such as Mastodon's, is kept as it is).
std::string at_handle(const std::string& handle) {
  if (handle.empty() || handle.front() == '@') return handle;
  return "@" + handle;
}

std::optional<std::string> row_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

}  // namespace

SavedReplies::SavedReplies(core::pg::Pool& pg, iam::Identity& identity, contracts::AccountDirectory& directory,
                           Inbox& inbox)
    : pg_(pg), identity_(identity), directory_(directory), inbox_(inbox) {}

SavedReplies::Entry SavedReplies::visible(pqxx::work& tx, const iam::Principal& p, std::int64_t id) {
  auto rows = tx.exec_prepared("inbox_saved_reply_get", id, p.org_id);
  if (rows.empty()) http::not_found("no such saved reply");
  Entry e{json::parse(rows[0][0].as<std::string>()), row_text(rows[0][1]), rows[0][2].as<std::string>(),
          rows[0][3].as<int>()};
  if (e.brand_id && !p.can(perm::kInboxRead, *e.brand_id)) http::not_found("no such saved reply");
  return e;
}

void SavedReplies::check_write(const iam::Principal& p, const std::optional<std::string>& brand_id) {
  if (!brand_id) {
    if (!p.is_admin) http::forbidden("only an administrator writes organization-wide saved replies; choose a brand");
    return;
  }
  if (!p.can(perm::kInboxRead, *brand_id)) http::not_found("no such brand");
  if (!p.can(perm::kInboxReply, *brand_id)) http::forbidden("writing this brand's saved replies needs inbox.reply");
}

json SavedReplies::list(const iam::Principal& p, const SavedReplyQuery& q) {
  if (q.brand_id && !core::is_uuid(*q.brand_id)) http::invalid_field("brand_id", "must be a UUID");
  if (q.kind && *q.kind != "reply" && *q.kind != "faq") http::invalid_field("kind", "must be reply or faq");
  auto brands = readable_brands(p);
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    for (const auto& r : tx.exec_prepared("inbox_saved_replies_list", p.org_id, brands, q.brand_id, q.kind, q.q)) {
      items.push_back(json::parse(r[0].as<std::string>()));
    }
    return json{{"items", items}, {"variables", template_variables()}};
  });
}

json SavedReplies::get(const iam::Principal& p, std::int64_t id) {
  return pg_.transact([&](pqxx::work& tx) { return visible(tx, p, id).json; });
}

json SavedReplies::create(const iam::Principal& p, const SavedReplyDraft& in) {
  auto d = in;
  if (d.kind != "reply" && d.kind != "faq") http::invalid_field("kind", "must be reply or faq");
  if (d.brand_id && !core::is_uuid(*d.brand_id)) http::invalid_field("brand_id", "must be a UUID or absent");
  if (d.source_item_id && d.kind != "faq") http::invalid_field("source_item_id", "only an FAQ entry is promoted from a message");
  return pg_.transact([&](pqxx::work& tx) {
    if (d.source_item_id) {
      auto rows = tx.exec_prepared("inbox_item_for_faq", *d.source_item_id, p.org_id);
      if (rows.empty()) http::invalid_field("source_item_id", "no inbound message with this id");
      auto thread = rows[0][3].as<std::int64_t>();
      inbox_.visible(tx, p, thread, perm::kInboxReply);  // the message must be one the caller answers
      auto brand = rows[0][1].as<std::string>();
      if (d.brand_id && *d.brand_id != brand) http::invalid_field("brand_id", "the message belongs to another brand");
      d.brand_id = brand;  // a promoted answer serves the brand it was given for
      if (d.question.empty()) d.question = rows[0][0].as<std::string>();
      if (d.text.empty()) {
        if (rows[0][4].is_null()) http::invalid_field("text", "the message has no reply yet: write the answer");
        d.text = rows[0][4].as<std::string>();
      }
    }
    if (d.title.empty()) {
      const auto& from = d.kind == "faq" ? d.question : d.text;
      d.title = first_chars(from, 80);
    }
    if (d.text.find_first_not_of(" \t\r\n") == std::string::npos) http::invalid_field("text", "is required");
    if (d.kind == "faq" && d.question.find_first_not_of(" \t\r\n") == std::string::npos) {
      http::invalid_field("question", "an FAQ entry needs the question it answers");
    }
    if (d.title.empty()) http::invalid_field("title", "is required");
    check_variables(d.text, "text");
    check_write(p, d.brand_id);
    auto out = json::parse(tx.exec_prepared1("inbox_saved_reply_insert", p.org_id, d.brand_id, d.kind, d.title,
                                             d.question, d.text, d.source_item_id, p.user_id, p.label())[0]
                               .as<std::string>());
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.saved_reply.create", "inbox_saved_reply", std::to_string(out["id"].get<std::int64_t>()),
                            d.brand_id.value_or(""), {{"kind", d.kind}, {"title", d.title}}});
    return out;
  });
}

json SavedReplies::update(const iam::Principal& p, std::int64_t id, const SavedReplyChange& c) {
  if (c.text) {
    if (c.text->find_first_not_of(" \t\r\n") == std::string::npos) http::invalid_field("text", "is blank");
    check_variables(*c.text, "text");
  }
  if (c.title && c.title->empty()) http::invalid_field("title", "is blank");
  return pg_.transact([&](pqxx::work& tx) {
    auto e = visible(tx, p, id);
    check_write(p, e.brand_id);
    if (c.question && c.question->empty() && e.json.value("kind", "") == "faq") {
      http::invalid_field("question", "an FAQ entry needs the question it answers");
    }
    auto rows = tx.exec_prepared("inbox_saved_reply_update", id, p.org_id, c.title, c.question, c.text, c.version);
    if (rows.empty()) http::precondition_failed("the saved reply changed since you read it (version " + std::to_string(e.version) + " now)");
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.saved_reply.update", "inbox_saved_reply", std::to_string(id), e.brand_id.value_or(""), {}});
    return json::parse(rows[0][0].as<std::string>());
  });
}

void SavedReplies::remove(const iam::Principal& p, std::int64_t id, std::optional<int> version) {
  pg_.transact([&](pqxx::work& tx) {
    auto e = visible(tx, p, id);
    check_write(p, e.brand_id);
    if (tx.exec_prepared("inbox_saved_reply_delete", id, p.org_id, version).empty()) {
      http::precondition_failed("the saved reply changed since you read it (version " + std::to_string(e.version) + " now)");
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.saved_reply.delete", "inbox_saved_reply", std::to_string(id), e.brand_id.value_or(""),
                            {{"title", e.json.value("title", "")}}});
  });
}

std::map<std::string, std::string> SavedReplies::values_for(pqxx::work& tx, const iam::Principal& p,
                                                            const Inbox::ThreadRef& t, std::string* asked) {
  std::map<std::string, std::string> v;
  v["agent"] = p.label();
  if (auto b = identity_.brand(p.org_id, t.brand_id)) v["brand"] = b->name;
  if (auto a = directory_.account(p.org_id, t.account_id)) v["account"] = at_handle(a->handle);
  auto rows = tx.exec_prepared("inbox_thread_render_context", t.json.value("id", std::int64_t{0}));
  if (!rows.empty()) {
    auto name = rows[0][0].as<std::string>(), handle = at_handle(rows[0][1].as<std::string>());
    v["handle"] = handle;
    v["name"] = name.empty() ? handle : name;
    if (asked) *asked = rows[0][2].as<std::string>();
  }
  return v;
}

json SavedReplies::render(const iam::Principal& p, std::int64_t thread_id, std::int64_t saved_reply_id) {
  return pg_.transact([&](pqxx::work& tx) {
    auto t = inbox_.visible(tx, p, thread_id, perm::kInboxReply);
    auto e = visible(tx, p, saved_reply_id);
    if (e.brand_id && *e.brand_id != t.brand_id) {
      http::invalid_field("saved_reply_id", "this saved reply is for another brand");
    }
    auto r = render_template(e.body, values_for(tx, p, t));
    tx.exec_prepared("inbox_saved_reply_used", saved_reply_id, p.org_id);
    return json{{"saved_reply_id", saved_reply_id}, {"thread_id", thread_id}, {"text", r.text}, {"missing", r.missing}};
  });
}

json SavedReplies::suggest(const iam::Principal& p, std::int64_t thread_id, int limit, double min_score) {
  return pg_.transact([&](pqxx::work& tx) {
    auto t = inbox_.visible(tx, p, thread_id, perm::kInboxRead);
    std::string asked;
    auto values = values_for(tx, p, t, &asked);
    struct Hit {
      double score;
      std::int64_t id;
      json entry;
    };
    std::vector<Hit> hits;
    if (!asked.empty()) {
      for (const auto& r : tx.exec_prepared("inbox_saved_replies_faq_for", p.org_id, t.brand_id)) {
        auto score = question_similarity(asked, r[1].as<std::string>());
        if (score >= min_score) hits.push_back({score, r[0].as<std::int64_t>(), json::parse(r[2].as<std::string>())});
      }
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.score != b.score ? a.score > b.score : a.id > b.id;
    });
    json items = json::array();
    for (std::size_t i = 0; i < hits.size() && static_cast<int>(i) < limit; ++i) {
      auto r = render_template(hits[i].entry.value("text", ""), values);
      items.push_back({{"score", std::round(hits[i].score * 1000) / 1000},
                       {"entry", hits[i].entry},
                       {"text", r.text},
                       {"missing", r.missing}});
    }
    return json{{"thread_id", thread_id}, {"asked", asked}, {"items", items}};
  });
}

}  // namespace herald::inbox
