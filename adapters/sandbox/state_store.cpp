#include "adapters/sandbox/state_store.hpp"

#include <algorithm>

#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

std::uint64_t StateStore::next_number(const std::string& platform) {
  std::lock_guard lock(mutex_);
  return ++counters_[platform];
}

Account StateStore::ensure_account(const std::string& platform, const std::string& handle, const IdFormat& format,
                                   const std::string& display_name, bool external) {
  std::lock_guard lock(mutex_);
  Key hkey{platform, lower(handle)};
  if (auto it = handles_.find(hkey); it != handles_.end()) return accounts_.at({platform, it->second});
  Account a;
  a.platform = platform;
  a.id = format(++counters_[platform]);
  a.handle = handle;
  a.display_name = display_name.empty() ? handle : display_name;
  a.external = external;
  a.created_at = clock_.now();
  handles_[hkey] = a.id;
  accounts_[{platform, a.id}] = a;
  return a;
}

std::optional<Account> StateStore::account(const std::string& platform, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find({platform, id});
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::optional<Account> StateStore::account_by_handle(const std::string& platform, const std::string& handle) const {
  std::lock_guard lock(mutex_);
  auto it = handles_.find({platform, lower(handle)});
  if (it == handles_.end()) return std::nullopt;
  return accounts_.at({platform, it->second});
}

std::vector<Account> StateStore::accounts(const std::string& platform) const {
  std::lock_guard lock(mutex_);
  std::vector<Account> out;
  for (const auto& [key, a] : accounts_) {
    if (key.first == platform) out.push_back(a);
  }
  return out;
}

StateStore::Created StateStore::create_item(Item item, const IdFormat& format, const std::string& idempotency_key) {
  std::lock_guard lock(mutex_);
  std::string ikey;
  if (!idempotency_key.empty()) {
    ikey = item.platform + "\n" + item.author_id + "\n" + idempotency_key;
    if (auto it = idempotency_.find(ikey); it != idempotency_.end()) {
      return {items_[item_index_.at({item.platform, it->second})], true};
    }
  }
  item.id = format(++counters_[item.platform]);
  if (item.root_id.empty()) item.root_id = item.id;
  if (item.created_at == TimePoint{}) item.created_at = clock_.now();
  if (item.visible_at == TimePoint{}) item.visible_at = item.created_at;
  item.seq = ++seq_;
  const auto pos = items_.size();
  item_index_[{item.platform, item.id}] = pos;
  items_.push_back(item);
  by_author_[{item.platform, item.author_id}].positions.push_back(pos);
  index_text(item, pos);
  count_in(item, +1);
  if (!ikey.empty()) idempotency_[ikey] = item.id;
  return {item, false};
}

void StateStore::index_text(const Item& it, std::size_t pos) {
  auto& v = by_text_[it.platform + "\n" + it.author_id + "\n" + it.text];
  if (v.empty() || v.back() != pos) v.push_back(pos);
}

void StateStore::count_in(const Item& it, int sign) {
  if (it.deleted) return;
  auto& a = by_author_[{it.platform, it.author_id}];
  if (sign > 0) {
    ++a.live;
    if (it.visible_at > it.created_at) a.later.insert(it.visible_at);
  } else {
    --a.live;
    if (it.visible_at > it.created_at) {
      if (auto f = a.later.find(it.visible_at); f != a.later.end()) a.later.erase(f);
    }
  }
}

std::vector<Item> StateStore::items_with_text(const std::string& platform, const std::string& author_id,
                                              const std::string& text) const {
  std::lock_guard lock(mutex_);
  std::vector<Item> out;
  auto f = by_text_.find(platform + "\n" + author_id + "\n" + text);
  if (f == by_text_.end()) return out;
  for (auto pos : f->second) {
    if (items_[pos].text == text) out.push_back(items_[pos]);  // an edit may have changed it since
  }
  return out;
}

StateStore::AuthorItems StateStore::live_items_of(const std::string& platform, const std::string& author_id,
                                                  std::optional<TimePoint> visible_at) const {
  std::lock_guard lock(mutex_);
  AuthorItems out;
  auto f = by_author_.find({platform, author_id});
  if (f == by_author_.end()) return out;
  const auto& a = f->second;
  out.count = a.live;
  if (visible_at) out.count -= static_cast<std::size_t>(std::distance(a.later.upper_bound(*visible_at), a.later.end()));
  for (auto p = a.positions.rbegin(); p != a.positions.rend(); ++p) {
    const auto& it = items_[*p];
    if (it.deleted || (visible_at && it.visible_at > *visible_at)) continue;
    out.last_created = it.created_at;
    break;
  }
  return out;
}

std::optional<Item> StateStore::item(const std::string& platform, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = item_index_.find({platform, id});
  if (it == item_index_.end()) return std::nullopt;
  return items_[it->second];
}

std::optional<Item> StateStore::update_item(const std::string& platform, const std::string& id,
                                            const std::function<void(Item&)>& change) {
  std::lock_guard lock(mutex_);
  auto it = item_index_.find({platform, id});
  if (it == item_index_.end()) return std::nullopt;
  auto& stored = items_[it->second];
  count_in(stored, -1);
  change(stored);
  count_in(stored, +1);
  index_text(stored, it->second);  // an edit: the new text finds it too
  return stored;
}

std::vector<Item> StateStore::items(const std::string& platform, const std::function<bool(const Item&)>& keep) const {
  std::lock_guard lock(mutex_);
  std::vector<Item> out;
  for (const auto& it : items_) {
    if (it.platform == platform && keep(it)) out.push_back(it);
  }
  return out;
}

Media StateStore::add_media(Media media, const IdFormat& format) {
  std::lock_guard lock(mutex_);
  media.id = format(++counters_[media.platform]);
  if (media.created_at == TimePoint{}) media.created_at = clock_.now();
  media_[{media.platform, media.id}] = media;
  return media;
}

std::optional<Media> StateStore::media(const std::string& platform, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = media_.find({platform, id});
  if (it == media_.end()) return std::nullopt;
  return it->second;
}

Notification StateStore::add_notification(Notification n, const IdFormat& format) {
  std::lock_guard lock(mutex_);
  n.id = format(++counters_[n.platform]);
  if (n.visible_at == TimePoint{}) n.visible_at = clock_.now();
  n.seq = ++seq_;
  notifications_.push_back(n);
  return n;
}

std::vector<Notification> StateStore::notifications(const std::string& platform, const std::string& account_id) const {
  std::lock_guard lock(mutex_);
  auto now = clock_.now();
  std::vector<Notification> out;
  for (const auto& n : notifications_) {
    if (n.platform == platform && n.account_id == account_id && n.visible_at <= now) out.push_back(n);
  }
  return out;
}

nlohmann::json StateStore::item_json(const Item& it) const {
  nlohmann::json j = {{"id", it.id},
                      {"kind", it.kind == ItemKind::dm ? "dm" : "post"},
                      {"author_id", it.author_id},
                      {"text", it.text},
                      {"created_at", iso8601_ms(it.created_at)},
                      {"visible_at", iso8601_ms(it.visible_at)},
                      {"deleted", it.deleted},
                      {"hidden", it.hidden},
                      {"generated", it.generated},
                      {"visibility", it.visibility}};
  if (auto a = accounts_.find({it.platform, it.author_id}); a != accounts_.end()) j["author_handle"] = a->second.handle;
  if (!it.in_reply_to_id.empty()) j["in_reply_to_id"] = it.in_reply_to_id;
  if (!it.recipient_id.empty()) j["recipient_id"] = it.recipient_id;
  if (!it.conversation_id.empty()) j["conversation_id"] = it.conversation_id;
  if (!it.media_ids.empty()) j["media_ids"] = it.media_ids;
  if (!it.language.empty()) j["language"] = it.language;
  if (it.edited_at) j["edited_at"] = iso8601_ms(*it.edited_at);
  if (!it.history.empty()) j["history"] = it.history;
  if (!it.extra.empty()) j["extra"] = it.extra;
  return j;
}

nlohmann::json StateStore::state_json(const std::string& platform, const std::string& handle) const {
  std::lock_guard lock(mutex_);
  auto h = handles_.find({platform, lower(handle)});
  if (h == handles_.end()) return nullptr;
  const auto& acc = accounts_.at({platform, h->second});
  const std::string& me = acc.id;
  nlohmann::json posts = nlohmann::json::array(), comments = nlohmann::json::array();
  nlohmann::json replies = nlohmann::json::array(), dms = nlohmann::json::array();
  nlohmann::json mentions = nlohmann::json::array();
  nlohmann::json hidden = nlohmann::json::array(), deleted = nlohmann::json::array();
  auto author_of = [&](const std::string& id) -> std::string {
    auto it = item_index_.find({platform, id});
    return it == item_index_.end() ? std::string() : items_[it->second].author_id;
  };
  for (const auto& it : items_) {
    if (it.platform != platform) continue;
    bool mine = it.author_id == me;
    if (it.kind == ItemKind::dm) {
      if (mine || it.recipient_id == me) dms.push_back(item_json(it));
      continue;
    }
    bool on_mine = !it.in_reply_to_id.empty() && author_of(it.in_reply_to_id) == me;
    if (mine && it.in_reply_to_id.empty()) posts.push_back(item_json(it));
    if (mine && !it.in_reply_to_id.empty()) replies.push_back(item_json(it));
    if (!mine && on_mine) comments.push_back(item_json(it));
    if (!mine && std::find(it.mention_ids.begin(), it.mention_ids.end(), me) != it.mention_ids.end() && !on_mine) {
      mentions.push_back(item_json(it));
    }
    if (it.hidden && (mine || on_mine)) hidden.push_back(it.id);
    if (it.deleted && (mine || on_mine)) deleted.push_back(it.id);
  }
  return {
      {"platform", platform}, {"account", {{"id", acc.id}, {"handle", acc.handle}, {"display_name", acc.display_name}}},
      {"posts", posts},       {"comments", comments},
      {"replies", replies},   {"mentions", mentions},
      {"dms", dms},           {"moderation", {{"hidden", hidden}, {"deleted", deleted}}}};
}

}  // namespace herald::sandbox
