#include "services/campaigns/links.hpp"

#include <chrono>

#include "services/campaigns/domain/bots.hpp"
#include "services/campaigns/domain/qr.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/crypto/random.hpp"
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::campaigns {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;
using core::pg::text_array;

namespace {

constexpr std::string_view kAlphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";  // no 0/O, 1/l/I
constexpr std::size_t kCodeLength = 7;

std::string new_code() {
  auto bytes = core::crypto::random_bytes(kCodeLength);
  std::string out;
  for (unsigned char b : bytes) out += kAlphabet[b % kAlphabet.size()];
  return out;
}

std::optional<std::string> readable_brands(const iam::Principal& p) {
  if (p.is_admin) return std::nullopt;
  std::string out = "{";
  for (const auto& m : p.memberships) {
    if (!p.can(perm::kCampaignRead, m.brand_id) || !core::is_uuid(m.brand_id)) continue;
    if (out.size() > 1) out += ',';
    out += m.brand_id;
  }
  return out + "}";
}

std::string truncated(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // keep UTF-8 whole
  return std::string(s.substr(0, n));
}

std::string host_port(const std::string& url) {
  auto host = domain::url_host(url);
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return host;
  auto rest = url.substr(scheme_end + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  auto colon = authority.rfind(':');
  std::string port = colon != std::string::npos && authority.find(']', colon) == std::string::npos
                         ? authority.substr(colon + 1)
                         : (url.rfind("https", 0) == 0 ? "443" : "80");
  return host + ":" + port;
}

std::string path_of(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  auto slash = url.find('/', scheme_end + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace

Links::Links(core::pg::Pool& pg, iam::Identity& identity, LinksOptions options)
    : pg_(pg), identity_(identity), options_(std::move(options)) {}

bool Links::plausible_code(std::string_view code) {
  if (code.size() < 4 || code.size() > 16) return false;
  for (char c : code) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string Links::short_url(const std::string& code) const {
  auto base = options_.base_url();
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/l/" + code;
}

json Links::with_urls(json link) const {
  auto code = link.value("code", "");
  link["short_url"] = short_url(code);
  link["qr_url"] = "/api/v1/links/" + code + "/qr.svg";
  return link;
}

json Links::create(const iam::Principal& p, const LinkInput& in) {
  if (!core::is_uuid(in.brand_id)) http::invalid_field("brand_id", "must be a brand id (UUID)");
  iam::require_permission(p, perm::kCampaignManage, in.brand_id);
  if (auto problem = domain::target_problem(in.target)) http::invalid_field("target", *problem);
  std::string target;
  try {
    target = domain::build_utm_url(in.target, in.utm);
  } catch (const std::invalid_argument& e) {
    http::invalid_field("utm", e.what());
  }
  // A link to a Herald short link would redirect in a loop (or through a chain nobody can attribute).
  if (host_port(target) == host_port(short_url("x")) && path_of(target).rfind("/l/", 0) == 0) {
    http::invalid_field("target", "points at a Herald short link: a redirect loop. Link to the final page instead");
  }
  for (const auto& [field, v] : {std::pair{"campaign_id", &in.campaign_id}, std::pair{"post_id", &in.post_id},
                                 std::pair{"account_id", &in.account_id}}) {
    if (*v && !core::is_uuid(**v)) http::invalid_field(field, "must be a UUID");
  }
  if (in.label.size() > 200) http::invalid_field("label", "is longer than 200 bytes");
  json utm = json::object();
  for (const auto& [k, v] : {std::pair{"source", &in.utm.source}, std::pair{"medium", &in.utm.medium},
                             std::pair{"campaign", &in.utm.campaign}, std::pair{"term", &in.utm.term},
                             std::pair{"content", &in.utm.content}}) {
    if (!v->empty()) utm[k] = *v;
  }
  auto link = pg_.transact([&](pqxx::work& tx) {
    if (in.campaign_id) {
      auto rows = tx.exec_prepared("campaign_read", *in.campaign_id, p.org_id);
      if (rows.empty() || rows[0][1].as<std::string>() != in.brand_id) {
        http::invalid_field("campaign_id", "names no campaign of this brand");
      }
    }
    for (int attempt = 0; attempt < 8; ++attempt) {
      auto code = new_code();
      auto rows = tx.exec_prepared("link_insert", code, p.org_id, in.brand_id, in.campaign_id, in.post_id,
                                   in.account_id, target, utm.dump(), in.label, p.user_id);
      if (rows.empty()) continue;
      auto out = json::parse(rows[0][0].as<std::string>());
      identity_.append_audit(tx, iam::Actor::of(p),
                             {"link.create", "link", code, in.brand_id, {{"target", target}, {"campaign_id", in.campaign_id ? json(*in.campaign_id) : json(nullptr)}}});
      return out;
    }
    throw std::runtime_error("could not draw a free short-link code");
  });
  {
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() < options_.cache_entries) cache_[link["code"].get<std::string>()] = target;
  }
  return with_urls(std::move(link));
}

json Links::list(const iam::Principal& p, const std::optional<std::string>& brand_id,
                 const std::optional<std::string>& campaign_id, const std::optional<std::string>& cursor, int limit) {
  if (brand_id && !core::is_uuid(*brand_id)) http::invalid_field("brand_id", "must be a UUID");
  if (campaign_id && !core::is_uuid(*campaign_id)) http::invalid_field("campaign_id", "must be a UUID");
  std::optional<std::int64_t> after_ms;
  std::string after_code;
  if (cursor) {
    auto bar = cursor->find('|');
    if (bar == std::string::npos || bar == 0 || cursor->find_first_not_of("0123456789", 0) < bar) {
      http::invalid_field("cursor", "is not a cursor this API gave");
    }
    after_ms = std::stoll(cursor->substr(0, bar));
    after_code = cursor->substr(bar + 1);
  }
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    auto rows = tx.exec_prepared("links_list", p.org_id, readable_brands(p), brand_id, campaign_id, after_ms,
                                 after_code, limit + 1);
    json next = nullptr;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (static_cast<int>(i) == limit) {
        next = std::to_string(rows[i - 1][1].as<std::int64_t>()) + "|" + rows[i - 1][2].as<std::string>();
        break;
      }
      items.push_back(with_urls(json::parse(rows[i][0].as<std::string>())));
    }
    return json{{"items", items}, {"next_cursor", next}};
  });
}

json Links::get(const iam::Principal& p, const std::string& code, std::int64_t from_ms, std::int64_t to_ms) {
  if (!plausible_code(code)) http::not_found("no such link");
  if (to_ms <= from_ms) http::invalid_field("to", "must be after from");
  if (to_ms - from_ms > 400LL * 86'400'000) http::invalid_field("to", "at most 400 days after from");
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("link_get", code, p.org_id);
    if (rows.empty() || !p.can(perm::kCampaignRead, rows[0][1].as<std::string>())) http::not_found("no such link");
    auto link = with_urls(json::parse(rows[0][0].as<std::string>()));
    json days = json::array();
    for (const auto& r : tx.exec_prepared("link_daily_clicks", code, from_ms, to_ms)) {
      days.push_back({{"date", r[0].as<std::string>()},
                      {"clicks", r[1].as<std::int64_t>()},
                      {"bot_clicks", r[2].as<std::int64_t>()},
                      {"unique_visitors", r[3].as<std::int64_t>()}});
    }
    json referers = json::array();
    for (const auto& r : tx.exec_prepared("link_referers", code)) {
      referers.push_back({{"referer", r[0].as<std::string>()}, {"clicks", r[1].as<std::int64_t>()}});
    }
    link["daily"] = days;
    link["top_referers"] = referers;
    return link;
  });
}

std::string Links::qr_svg(const iam::Principal& p, const std::string& code) {
  if (!plausible_code(code)) http::not_found("no such link");
  pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("link_get", code, p.org_id);
    if (rows.empty() || !p.can(perm::kCampaignRead, rows[0][1].as<std::string>())) http::not_found("no such link");
  });
  return domain::qr_svg(short_url(code));
}

std::optional<std::string> Links::cached_target(const std::string& code) const {
  std::shared_lock lock(cache_mutex_);
  auto it = cache_.find(code);
  if (it == cache_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Links::load_target(const std::string& code) {
  auto target = pg_.transact([&](pqxx::work& tx) -> std::optional<std::string> {
    auto rows = tx.exec_prepared("link_target", code);
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
  });
  if (target) {
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() >= options_.cache_entries) cache_.clear();  // crude, bounded: a cold start costs one read per code
    cache_[code] = *target;
  }
  return target;
}

std::string Links::visitor_hash(std::string_view remote_address, std::string_view user_agent) {
  if (remote_address.empty()) return "";
  std::string salt;
  {
    std::lock_guard lock(salt_mutex_);
    salt = salt_;
  }
  std::string data(remote_address);
  data += '\n';
  data += user_agent;
  return core::crypto::base64url_encode(core::crypto::hmac_sha256(salt, data).substr(0, 12));
}

void Links::record_click(const std::string& code, std::int64_t at_ms, std::string_view user_agent,
                         std::string_view referer, std::string_view remote_address) {
  // The address stays in memory only until flush() turns it into the visitor hash.
  Click c{code, at_ms, domain::is_bot_user_agent(user_agent), truncated(referer, 500), truncated(user_agent, 300),
          std::string(remote_address)};
  std::lock_guard lock(queue_mutex_);
  if (queue_.size() >= options_.max_pending_clicks) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(c));
}

std::size_t Links::dropped() const {
  std::lock_guard lock(queue_mutex_);
  return dropped_;
}

std::size_t Links::flush() {
  {
    std::lock_guard lock(salt_mutex_);
    if (salt_.empty()) {
      salt_ = pg_.transact([](pqxx::work& tx) { return tx.exec_prepared1("link_salt")[0].as<std::string>(); });
    }
  }
  std::vector<Click> batch;
  {
    std::lock_guard lock(queue_mutex_);
    batch.swap(queue_);
  }
  std::size_t written = 0;
  for (std::size_t start = 0; start < batch.size(); start += options_.flush_batch) {
    auto end = std::min(batch.size(), start + options_.flush_batch);
    std::vector<std::string> codes, referers, agents, visitors;
    std::string at = "{", bots = "{";
    for (std::size_t i = start; i < end; ++i) {
      codes.push_back(batch[i].code);
      if (i > start) {
        at += ',';
        bots += ',';
      }
      at += std::to_string(batch[i].at_ms);
      bots += batch[i].bot ? 't' : 'f';
      referers.push_back(batch[i].referer);
      agents.push_back(batch[i].user_agent);
      visitors.push_back(visitor_hash(batch[i].visitor, batch[i].user_agent));
    }
    at += '}';
    bots += '}';
    try {
      pg_.transact([&](pqxx::work& tx) {
        tx.exec_prepared("link_clicks_insert", text_array(codes), at, bots, text_array(referers), text_array(agents),
                         text_array(visitors));
      });
      written += end - start;
    } catch (...) {
      // Put back what was not written (ahead of newer clicks), then let the caller log the error.
      std::lock_guard lock(queue_mutex_);
      std::vector<Click> rest(std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(start)),
                              std::make_move_iterator(batch.end()));
      if (rest.size() + queue_.size() > options_.max_pending_clicks) {
        dropped_ += rest.size() + queue_.size() - options_.max_pending_clicks;
        rest.resize(options_.max_pending_clicks > queue_.size() ? options_.max_pending_clicks - queue_.size() : 0);
      }
      rest.insert(rest.end(), std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.swap(rest);
      throw;
    }
  }
  return written;
}

}  // namespace herald::campaigns
