// X emulator, second part: Direct Messages (docs.x.com/x-api/direct-messages: POST
// /2/dm_conversations/with/:participant_id/messages, POST /2/dm_conversations/:id/messages, GET /2/dm_events and
// the per-conversation lists) and the inbound event generator with Account Activity API webhooks
// (docs.x.com/x-api/enterprise/account-activity: tweet_create_events / direct_message_events payloads,
// x-twitter-webhooks-signature, the CRC GET with crc_token answered by {"response_token": "sha256=..."}).
#include <algorithm>
#include <ctime>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/platforms/x.hpp"
#include "adapters/sandbox/util.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/random.hpp"

namespace herald::sandbox {

namespace {

constexpr char kPlatform[] = "x";
constexpr char kInvalidRequestType[] = "https://api.twitter.com/2/problems/invalid-request";

std::string format_id(std::uint64_t n) { return std::to_string(1790000000000000000ULL + n); }

std::string dm_conversation(const std::string& a, const std::string& b) {
  return id_less(a, b) ? a + "-" + b : b + "-" + a;
}

std::string v1_time(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S +0000 %Y", &tm);
  return buf;
}

bool has_field(const std::string& list, const std::string& field) {
  return ("," + list + ",").find("," + field + ",") != std::string::npos;
}

}  // namespace

http::Response XPlatform::send_dm(http::Request& req, const std::string& conversation_id,
                                  const std::string& participant_id) {
  auto me = require_user(req);
  std::string text;
  try {
    auto body = nlohmann::json::parse(req.raw.body());
    if (body.is_object() && body.contains("text") && body["text"].is_string()) text = body["text"].get<std::string>();
  } catch (const nlohmann::json::exception&) {
  }
  if (text.empty()) {
    throw ErrorResponse(json(req, 400,
                             {{"errors", {{{"message", "text or attachments must be provided"}}}},
                              {"title", "Invalid Request"},
                              {"detail", "One or more parameters to your request was invalid."},
                              {"type", kInvalidRequestType}}));
  }
  std::string other = participant_id;
  if (other.empty()) {
    auto dash = conversation_id.find('-');
    if (dash != std::string::npos) {
      auto a = conversation_id.substr(0, dash), b = conversation_id.substr(dash + 1);
      other = a == me.id ? b : b == me.id ? a : "";
    }
  }
  auto recipient = other.empty() ? std::nullopt : ctx_.store.account(kPlatform, other);
  if (!recipient || recipient->id == me.id) {
    problem(req, 403, "Forbidden", "You are not permitted to send Direct Messages to this conversation.");
  }
  Item it;
  it.platform = kPlatform;
  it.kind = ItemKind::dm;
  it.author_id = me.id;
  it.recipient_id = recipient->id;
  it.text = text;
  it.conversation_id = dm_conversation(me.id, recipient->id);
  auto created = ctx_.store.create_item(it, format_id).item;
  return json(req, 201, {{"data", {{"dm_conversation_id", created.conversation_id}, {"dm_event_id", created.id}}}});
}

http::Response XPlatform::dm_events(http::Request& req, const std::function<bool(const Item&)>& keep) {
  std::uint64_t max_results = 100;
  if (auto m = req.query_param("max_results");
      m && (!parse_u64(*m, max_results) || max_results < 1 || max_results > 100)) {
    problem(req, 400, "Invalid Request", "One or more parameters to your request was invalid.", kInvalidRequestType);
  }
  auto fields = req.query_param("dm_event.fields").value_or("");
  auto cursor = req.query_param("pagination_token").value_or("");
  if (!cursor.empty()) cursor = cursor.substr(1);
  auto now = ctx_.clock.now();
  auto all = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.kind == ItemKind::dm && !it.deleted && it.visible_at <= now && keep(it) &&
           (cursor.empty() || !id_less(cursor, it.id));
  });
  std::sort(all.begin(), all.end(), [](const Item& a, const Item& b) { return id_less(b.id, a.id); });
  std::string next;
  if (all.size() > max_results) {
    next = "p" + all[max_results].id;
    all.resize(max_results);
  }
  nlohmann::json data = nlohmann::json::array();
  for (const auto& it : all) {
    nlohmann::json e = {{"id", it.id}, {"event_type", "MessageCreate"}, {"text", it.text}};
    if (has_field(fields, "created_at")) e["created_at"] = iso8601_ms(it.created_at);
    if (has_field(fields, "sender_id")) e["sender_id"] = it.author_id;
    if (has_field(fields, "dm_conversation_id")) e["dm_conversation_id"] = it.conversation_id;
    if (has_field(fields, "participant_ids")) e["participant_ids"] = {it.author_id, it.recipient_id};
    data.push_back(e);
  }
  nlohmann::json meta = {{"result_count", all.size()}};
  if (!next.empty()) meta["next_token"] = next;
  nlohmann::json doc = {{"meta", meta}};
  if (!all.empty()) doc["data"] = data;
  return json(req, 200, doc);
}

http::Response XPlatform::media_upload(http::Request& req, const std::string& step) {
  auto me = require_user(req);
  auto invalid = [&](const std::string& message) {
    throw ErrorResponse(json(req, 400,
                             {{"errors", {{{"message", message}}}},
                              {"title", "Invalid Request"},
                              {"detail", "One or more parameters to your request was invalid."},
                              {"type", kInvalidRequestType}}));
  };
  auto doc = [&](const Media& m, bool processing) {
    nlohmann::json d = {{"id", m.id}, {"media_key", "3_" + m.id}, {"size", m.size}, {"expires_after_secs", 86400}};
    if (processing) d["processing_info"] = {{"state", "succeeded"}, {"progress_percent", 100}};
    return d;
  };
  auto body = Params::from_request(req);
  auto decode = [&](const std::string& b64) -> std::size_t {
    try {
      return core::crypto::base64_decode(b64).size();
    } catch (const std::exception&) {
      invalid("media must be base64");
    }
    return std::size_t{0};
  };
  auto owned = [&](const std::string& id) {
    auto m = ctx_.store.media(kPlatform, id);
    if (!m || m->owner_id != me.id) invalid("Your media IDs are invalid.");
    return *m;
  };
  if (step.empty()) {
    auto media = body.get("media");
    if (!media) invalid("media is required");
    Media m{kPlatform, "", me.id, body.get_or("media_type", "image/jpeg"), "", "", decode(*media), {}};
    return json(req, 200, {{"data", doc(ctx_.store.add_media(m, format_id), false)}});
  }
  if (step == "initialize") {
    Media m{kPlatform, "", me.id, body.get_or("media_type", "video/mp4"), "", "incomplete", 0, {}};
    return json(req, 200, {{"data", doc(ctx_.store.add_media(m, format_id), false)}});
  }
  if (step == "append") {
    owned(req.param("id"));
    if (!body.get("media")) invalid("media is required");
    decode(*body.get("media"));
    return json(req, 200, {{"data", {{"expires_at", unix_seconds(ctx_.clock.now()) + 86400}}}});
  }
  if (step == "finalize") {
    auto m = owned(req.param("id"));
    m.description.clear();  // complete: usable in a post
    ctx_.store.add_media(m, [&](std::uint64_t) { return m.id; });
    return json(req, 200, {{"data", doc(m, true)}});
  }
  if (step == "status") {
    auto m = owned(req.query_param("media_id").value_or(""));
    return json(req, 200, {{"data", doc(m, true)}});
  }
  auto m = owned(body.get_or("id", ""));
  return json(
      req, 200,
      {{"data", {{"id", m.id}, {"associated_metadata", body.json().value("metadata", nlohmann::json::object())}}}});
}

nlohmann::json XPlatform::tweet_v1_json(const Item& it) const {
  auto user_v1 = [this](const std::string& id) -> nlohmann::json {
    auto a = ctx_.store.account(kPlatform, id);
    if (!a) return nullptr;
    return {{"id", std::stoull(a->id)}, {"id_str", a->id},    {"name", a->display_name},
            {"screen_name", a->handle}, {"protected", false}, {"verified", false},
            {"followers_count", 0},     {"friends_count", 0}, {"created_at", v1_time(a->created_at)}};
  };
  nlohmann::json mentions = nlohmann::json::array();
  for (const auto& id : it.mention_ids) {
    auto a = ctx_.store.account(kPlatform, id);
    auto pos = a ? it.text.find("@" + a->handle) : std::string::npos;
    if (pos == std::string::npos) continue;
    mentions.push_back({{"screen_name", a->handle},
                        {"name", a->display_name},
                        {"id", std::stoull(id)},
                        {"id_str", id},
                        {"indices", {pos, pos + a->handle.size() + 1}}});
  }
  nlohmann::json j = {{"created_at", v1_time(it.created_at)},
                      {"id", std::stoull(it.id)},
                      {"id_str", it.id},
                      {"text", it.text},
                      {"source", "<a href=\"https://herald.example\">Herald sandbox</a>"},
                      {"truncated", false},
                      {"in_reply_to_status_id", nullptr},
                      {"in_reply_to_status_id_str", nullptr},
                      {"in_reply_to_user_id", nullptr},
                      {"in_reply_to_user_id_str", nullptr},
                      {"in_reply_to_screen_name", nullptr},
                      {"user", user_v1(it.author_id)},
                      {"entities",
                       {{"hashtags", nlohmann::json::array()},
                        {"urls", nlohmann::json::array()},
                        {"user_mentions", mentions},
                        {"symbols", nlohmann::json::array()}}},
                      {"lang", it.language.empty() ? "en" : it.language},
                      {"timestamp_ms", std::to_string(unix_millis(it.created_at))}};
  if (!it.in_reply_to_id.empty()) {
    if (auto parent = ctx_.store.item(kPlatform, it.in_reply_to_id)) {
      auto pa = ctx_.store.account(kPlatform, parent->author_id);
      j["in_reply_to_status_id"] = std::stoull(parent->id);
      j["in_reply_to_status_id_str"] = parent->id;
      j["in_reply_to_user_id"] = std::stoull(parent->author_id);
      j["in_reply_to_user_id_str"] = parent->author_id;
      j["in_reply_to_screen_name"] = pa ? nlohmann::json(pa->handle) : nlohmann::json(nullptr);
    }
  }
  return j;
}

GenerateResult XPlatform::generate(const GenerateRequest& r) {
  GenerateResult result;
  auto target = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_id, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.language = ev.language;
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    it.extra = {{"sentiment", ev.sentiment}};
    if (r.kind == EventKind::dm) {
      it.kind = ItemKind::dm;
      it.text = ev.text;
      it.recipient_id = target.id;
      it.conversation_id = dm_conversation(author.id, target.id);
    } else {
      it.text = "@" + target.handle + " " + ev.text;
      it.mention_ids = {target.id};
      if (r.kind == EventKind::comment) {
        auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
          return x.author_id == target.id && x.kind == ItemKind::post && x.in_reply_to_id.empty() && !x.deleted;
        });
        if (posts.empty()) {
          Item seed;
          seed.platform = kPlatform;
          seed.author_id = target.id;
          seed.text = "Hello from the Herald sandbox!";
          seed.generated = true;
          posts.push_back(ctx_.store.create_item(seed, format_id).item);
        }
        it.in_reply_to_id = posts.back().id;
        it.root_id = posts.back().root_id;
      }
    }
    auto created = ctx_.store.create_item(it, format_id).item;
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (!r.webhook) continue;
    nlohmann::json payload = {{"for_user_id", target.id}};
    std::string event;
    if (r.kind == EventKind::dm) {
      event = "direct_message_events";
      payload[event] = {{{"type", "message_create"},
                         {"id", created.id},
                         {"created_timestamp", std::to_string(unix_millis(created.created_at))},
                         {"message_create",
                          {{"target", {{"recipient_id", target.id}}},
                           {"sender_id", author.id},
                           {"message_data",
                            {{"text", created.text},
                             {"entities",
                              {{"hashtags", nlohmann::json::array()},
                               {"symbols", nlohmann::json::array()},
                               {"user_mentions", nlohmann::json::array()},
                               {"urls", nlohmann::json::array()}}}}}}}}};
      nlohmann::json users = nlohmann::json::object();
      for (const auto& a : {author, target}) {
        users[a.id] = {{"id", a.id},
                       {"created_timestamp", std::to_string(unix_millis(a.created_at))},
                       {"name", a.display_name},
                       {"screen_name", a.handle},
                       {"protected", false},
                       {"verified", false},
                       {"followers_count", 0},
                       {"friends_count", 0},
                       {"statuses_count", 0}};
      }
      payload["users"] = users;
    } else {
      event = "tweet_create_events";
      payload["user_has_blocked"] = false;
      payload[event] = {tweet_v1_json(created)};
    }
    Delivery d;
    d.platform = kPlatform;
    d.event = event;
    d.body = payload.dump();
    d.headers = {{"x-twitter-webhooks-signature", x_signature(client_secret(), d.body)}};
    d.not_before = event_due(r, i);
    ctx_.webhooks.enqueue(std::move(d));
  }
  return result;
}

void XPlatform::on_webhook_registered(const std::string& /*url*/) {
  // X checks a new webhook URL with a CRC: GET ?crc_token=T must answer sha256=base64(HMAC(secret, T)).
  Delivery d;
  d.platform = kPlatform;
  d.event = "crc";
  d.method = "GET";
  std::string crc = core::crypto::random_token(24);
  d.query = "crc_token=" + url_encode(crc);
  std::string expected = x_crc_response_token(client_secret(), crc);
  d.verify = [expected](const SendResult& r) -> std::string {
    if (r.status != 200) return "CRC check failed: status " + std::to_string(r.status);
    try {
      auto j = nlohmann::json::parse(r.body);
      if (j.value("response_token", "") == expected) return "";
    } catch (const nlohmann::json::exception&) {
    }
    return "CRC check failed: wrong response_token";
  };
  ctx_.webhooks.enqueue(std::move(d));
}

}  // namespace herald::sandbox
