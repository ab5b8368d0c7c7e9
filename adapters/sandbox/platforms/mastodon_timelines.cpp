// Mastodon emulator, second part: timelines and inbound events. Shapes from the official documentation:
//   https://docs.joinmastodon.org/methods/accounts/#statuses  (account statuses, Link-header pagination)
//   https://docs.joinmastodon.org/methods/statuses/#context   (ancestors and descendants)
//   https://docs.joinmastodon.org/methods/notifications/      (max_id/since_id/min_id, types[], exclude_types[])
//   https://docs.joinmastodon.org/methods/conversations/      (direct conversations)
//   https://docs.joinmastodon.org/admin/webhooks/             (status.created payload, X-Hub-Signature)
#include <algorithm>
#include <functional>
#include <map>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/platforms/mastodon.hpp"
#include "adapters/sandbox/platforms/mastodon_detail.hpp"
#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

using mastodon_detail::format_id;
using mastodon_detail::kPlatform;
using mastodon_detail::paginate;

http::Response MastodonPlatform::account_statuses(http::Request& req) {
  auto me = require_user(req);
  auto owner = ctx_.store.account(kPlatform, req.param("id"));
  if (!owner) fail(req, 404, "Record not found");
  auto p = Params::from_request(req);
  bool exclude_replies = p.get_bool("exclude_replies").value_or(false);
  bool only_media = p.get_bool("only_media").value_or(false);
  auto all = ctx_.store.items(kPlatform, [&](const Item& it) {
    return it.author_id == owner->id && visible_to(it, me.id) && !(exclude_replies && !it.in_reply_to_id.empty()) &&
           !(only_media && it.media_ids.empty());
  });
  auto page = paginate(
      std::move(all), p, [](const Item& it) -> const std::string& { return it.id; }, 20, 40);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& it : page) out.push_back(status_json(it));
  auto res = json(req, 200, out);
  if (!page.empty()) {
    std::string base = base_url() + req.path;
    std::string limit = p.has("limit") ? "&limit=" + url_encode(*p.get("limit")) : "";
    res.set(http::beast_http::field::link, "<" + base + "?max_id=" + page.back().id + limit + ">; rel=\"next\", <" +
                                               base + "?min_id=" + page.front().id + limit + ">; rel=\"prev\"");
  }
  return res;
}

http::Response MastodonPlatform::context(http::Request& req) {
  auto me = require_user(req);
  auto it = visible_status(req, req.param("id"), me.id);
  nlohmann::json ancestors = nlohmann::json::array(), descendants = nlohmann::json::array();
  std::vector<Item> chain;
  for (auto parent_id = it.in_reply_to_id; !parent_id.empty();) {
    auto parent = ctx_.store.item(kPlatform, parent_id);
    if (!parent) break;
    if (visible_to(*parent, me.id)) chain.push_back(*parent);
    parent_id = parent->in_reply_to_id;
  }
  for (auto c = chain.rbegin(); c != chain.rend(); ++c) ancestors.push_back(status_json(*c));
  // Descendants depth-first in creation order, as Mastodon lists them.
  std::function<void(const std::string&)> walk = [&](const std::string& id) {
    for (const auto& child : ctx_.store.items(kPlatform, [&](const Item& x) { return x.in_reply_to_id == id; })) {
      if (!visible_to(child, me.id)) continue;
      descendants.push_back(status_json(child));
      walk(child.id);
    }
  };
  walk(it.id);
  return json(req, 200, {{"ancestors", ancestors}, {"descendants", descendants}});
}

http::Response MastodonPlatform::notifications(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto types = p.list("types");
  auto exclude = p.list("exclude_types");
  auto all = ctx_.store.notifications(kPlatform, me.id);
  std::vector<Notification> kept;
  for (auto& n : all) {
    if (!types.empty() && std::find(types.begin(), types.end(), n.type) == types.end()) continue;
    if (std::find(exclude.begin(), exclude.end(), n.type) != exclude.end()) continue;
    auto it = ctx_.store.item(kPlatform, n.item_id);
    if (!it || it->deleted) continue;
    kept.push_back(n);
  }
  auto page = paginate(
      std::move(kept), p, [](const Notification& n) -> const std::string& { return n.id; }, 40, 80);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& n : page) {
    auto from = ctx_.store.account(kPlatform, n.from_account_id);
    out.push_back({{"id", n.id},
                   {"type", n.type},
                   {"created_at", iso8601_ms(n.visible_at)},
                   {"account", from ? account_json(*from) : nlohmann::json(nullptr)},
                   {"status", status_json(*ctx_.store.item(kPlatform, n.item_id))}});
  }
  auto res = json(req, 200, out);
  if (!page.empty()) {
    std::string base = base_url() + req.path;
    res.set(http::beast_http::field::link, "<" + base + "?max_id=" + page.back().id + ">; rel=\"next\", <" + base +
                                               "?min_id=" + page.front().id + ">; rel=\"prev\"");
  }
  return res;
}

http::Response MastodonPlatform::conversations(http::Request& req) {
  auto me = require_user(req);
  auto p = Params::from_request(req);
  auto dms =
      ctx_.store.items(kPlatform, [&](const Item& it) { return it.visibility == "direct" && visible_to(it, me.id); });
  std::map<std::string, Item> last;  // conversation -> its newest status
  for (const auto& it : dms) last[it.conversation_id] = it;
  std::vector<Item> lasts;
  for (auto& [id, it] : last) lasts.push_back(it);
  auto page = paginate(
      std::move(lasts), p, [](const Item& it) -> const std::string& { return it.id; }, 20, 40);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& it : page) {
    nlohmann::json accounts = nlohmann::json::array();
    std::vector<std::string> ids = it.mention_ids;
    ids.push_back(it.author_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const auto& id : ids) {
      if (id == me.id) continue;
      if (auto a = ctx_.store.account(kPlatform, id)) accounts.push_back(account_json(*a));
    }
    out.push_back({{"id", it.conversation_id},
                   {"unread", it.author_id != me.id},
                   {"accounts", accounts},
                   {"last_status", status_json(it)}});
  }
  return json(req, 200, out);
}

GenerateResult MastodonPlatform::generate(const GenerateRequest& r) {
  GenerateResult result;
  auto target = account_for_handle(r.handle);
  for (int i = 0; i < r.count; ++i) {
    auto ev = ctx_.generator.next(r.kind);
    auto author = ctx_.store.ensure_account(kPlatform, ev.author_handle, format_id, ev.author_name, true);
    Item it;
    it.platform = kPlatform;
    it.author_id = author.id;
    it.text = "@" + target.handle + " " + ev.text;
    it.language = ev.language;
    it.mention_ids = {target.id};
    it.generated = true;
    it.created_at = it.visible_at = event_time(r, i);
    it.extra = {{"sentiment", ev.sentiment}};
    if (r.kind == EventKind::comment) {
      auto posts = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.author_id == target.id && x.in_reply_to_id.empty() && !x.deleted && x.visibility == "public";
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
    } else if (r.kind == EventKind::dm) {
      it.kind = ItemKind::dm;
      it.visibility = "direct";
      it.recipient_id = target.id;
      auto earlier = ctx_.store.items(kPlatform, [&](const Item& x) {
        return x.kind == ItemKind::dm && x.author_id == author.id && x.recipient_id == target.id;
      });
      it.conversation_id =
          earlier.empty() ? format_id(ctx_.store.next_number(kPlatform)) : earlier.back().conversation_id;
    }
    auto created = ctx_.store.create_item(it, format_id).item;
    notify_mentions(created);
    if (result.first_id.empty()) result.first_id = created.id;
    result.last_id = created.id;
    ++result.generated;
    if (r.webhook) {
      nlohmann::json payload = {{"event", "status.created"},
                                {"created_at", iso8601_ms(created.created_at)},
                                {"object", status_json(created)}};
      Delivery d;
      d.platform = kPlatform;
      d.event = "status.created";
      d.body = payload.dump();
      d.headers = {{"X-Hub-Signature", mastodon_signature(client_secret(), d.body)}};
      d.not_before = event_due(r, i);
      ctx_.webhooks.enqueue(std::move(d));
    }
  }
  return result;
}

}  // namespace herald::sandbox
