// Facebook emulator, second part: Messenger conversations (graph-api/reference/page/conversations), the
// inbound event generator and the Page webhooks (graph-api/webhooks/reference/page: feed changes with item
// comment, mention, messaging; X-Hub-Signature-256; the hub.challenge verification).
#include <algorithm>
#include <map>

#include "adapters/sandbox/platforms/facebook.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"
#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "facebook";

std::string format_id(std::uint64_t n) { return std::to_string(102000000000000ULL + n); }
std::string object_number(std::uint64_t n) { return std::to_string(1000000000000ULL + n); }

}  // namespace

http::Response FacebookPlatform::conversations(http::Request& req) {
  check_version(req);
  auto c = require_token(req);
  if (c.page.id != req.param("id")) {
    graph_error(req, 403, "(#200) Requires pages_messaging permission to manage the object", "OAuthException", 200);
  }
  std::uint64_t limit = 25;
  auto fields = fields_of(req, "id,updated_time,messages");
  if (const auto* m = find_field(fields, "messages")) {
    if (auto l = m->modifier("limit")) (void)parse_u64(*l, limit);
  }
  auto now = ctx_.clock.now();
  auto dms = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.kind == ItemKind::dm && !it.deleted && it.visible_at <= now &&
           (it.author_id == c.page.id || it.recipient_id == c.page.id);
  });
  std::map<std::string, nlohmann::json> threads;
  std::map<std::string, std::string> updated;
  for (auto it = dms.rbegin(); it != dms.rend(); ++it) {  // newest first, as Messenger lists them
    auto from = ctx_.store.account(kPlatform, it->author_id);
    auto& thread = threads[it->conversation_id];
    if (thread.size() >= limit) continue;
    thread.push_back({{"id", it->id},
                      {"message", it->text},
                      {"created_time", graph_time(it->created_at)},
                      {"from", {{"id", it->author_id}, {"name", from ? from->display_name : ""}}}});
    if (!updated.count(it->conversation_id)) updated[it->conversation_id] = graph_time(it->created_at);
  }
  nlohmann::json data = nlohmann::json::array();
  for (auto& [id, messages] : threads) {
    data.push_back({{"id", id}, {"updated_time", updated[id]}, {"messages", {{"data", messages}}}});
  }
  return json(req, 200, {{"data", data}});
}

void FacebookPlatform::deliver(const std::string& page_id, const nlohmann::json& entry_part, int index,
                               const GenerateRequest& r) {
  nlohmann::json entry = {{"id", page_id}, {"time", unix_seconds(event_time(r, index))}};
  entry.update(entry_part);
  nlohmann::json payload = {{"object", "page"}, {"entry", {entry}}};
  Delivery d;
  d.platform = kPlatform;
  d.event = entry_part.contains("messaging") ? "messaging" : entry_part["changes"][0].value("field", "feed");
  d.body = payload.dump();
  d.headers = {{"X-Hub-Signature-256", meta_signature(client_secret(), d.body)}};
  d.not_before = event_due(r, index);
  ctx_.webhooks.enqueue(std::move(d));
}

GenerateResult FacebookPlatform::generate(const GenerateRequest& r) {
  GenerateResult result;
  auto page = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_id, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = ev.text;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    nlohmann::json part;
    std::string id_prefix;
    if (r.kind == EventKind::comment) {
      auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == page.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
      });
      if (posts.empty()) {
        Item seed;
        seed.platform = kPlatform;
        seed.author_id = page.id;
        seed.text = "Hello from the Herald sandbox!";
        seed.generated = true;
        posts.push_back(
            ctx_.store.create_item(seed, [&](std::uint64_t n) { return page.id + "_" + object_number(n); }).item);
      }
      it.in_reply_to_id = posts.back().id;
      it.root_id = posts.back().root_id;
      id_prefix = posts.back().id.substr(posts.back().id.find('_') + 1) + "_";
    } else if (r.kind == EventKind::mention) {
      it.text = "@[" + page.id + ":" + page.display_name + "] " + ev.text;
      it.mention_ids = {page.id};
      id_prefix = author.id + "_";
    } else {
      it.kind = ItemKind::dm;
      it.recipient_id = page.id;
      it.conversation_id = "t_" + author.id;
      id_prefix = "m_";
    }
    auto created = ctx_.store.create_item(it, [&](std::uint64_t n) { return id_prefix + object_number(n); }).item;
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (!r.webhook) continue;
    auto when = unix_seconds(created.created_at);
    nlohmann::json from = {{"id", author.id}, {"name", author.display_name}};
    if (r.kind == EventKind::comment) {
      part = {{"changes",
               {{{"field", "feed"},
                 {"value",
                  {{"from", from},
                   {"post",
                    {{"id", created.in_reply_to_id}, {"status_type", "mobile_status_update"}, {"is_published", true}}},
                   {"message", created.text},
                   {"post_id", created.in_reply_to_id},
                   {"comment_id", created.id},
                   {"created_time", when},
                   {"item", "comment"},
                   {"parent_id", created.in_reply_to_id},
                   {"verb", "add"}}}}}}};
    } else if (r.kind == EventKind::mention) {
      part = {{"changes",
               {{{"field", "mention"},
                 {"value",
                  {{"post_id", created.id},
                   {"sender_name", author.display_name},
                   {"sender_id", author.id},
                   {"item", "post"},
                   {"verb", "add"}}}}}}};
    } else {
      auto ms = unix_millis(created.created_at);
      part = {{"messaging",
               {{{"sender", {{"id", author.id}}},
                 {"recipient", {{"id", page.id}}},
                 {"timestamp", ms},
                 {"message", {{"mid", created.id}, {"text", created.text}}}}}}};
    }
    deliver(page.id, part, i, r);
  }
  return result;
}

void FacebookPlatform::on_webhook_registered(const std::string& /*url*/) {
  // Meta verifies a callback URL with GET hub.mode=subscribe&hub.challenge=N&hub.verify_token=T: echo N.
  Delivery d;
  d.platform = kPlatform;
  d.event = "verification";
  d.method = "GET";
  std::string challenge = std::to_string(ctx_.store.next_number("facebook-challenge") * 7919 + 1000000);
  d.query = "hub.mode=subscribe&hub.challenge=" + challenge + "&hub.verify_token=" + url_encode(client_secret());
  d.verify = [challenge](const SendResult& r) -> std::string {
    if (r.status != 200 || r.body != challenge) return "verification failed: the answer must be the hub.challenge";
    return "";
  };
  ctx_.webhooks.enqueue(std::move(d));
}

}  // namespace herald::sandbox
