// sandbox_contract_check: drives Herald's real platform adapters (adapters/<platform>) against a running
// herald-sandbox, over HTTP, to prove that each emulator answers what its adapter asks. It starts nothing:
// give it the sandbox's port file (tests: run_contract_check.cmake starts the sandbox and stops it).
//
//   sandbox_contract_check PORT_FILE [--client-secret S] [PLATFORM...]
//
// For every platform of the port file (or those named): connect (the authorize page's form is approved the way
// a person would, then exchange_code; Bluesky and WeChat connect with credentials), fetch_profile, publish
// (text, or the platform's minimal media post with the sandbox's sample media), read_post, find_by_marker,
// list_recent, a generated comment (POST /_sandbox/generate, delivery poll) read with fetch_inbound and answered
// with reply, delete_post (then read_post finds nothing), ads for adapters with ads (Facebook: fetch_ad_entities
// and fetch_ad_insights on the automatic ad account and on one made with POST /_sandbox/facebook/ad-accounts: the
// hierarchy, one insight row per ad per active day, spend and revenue in minor units as the raw Graph rows say), a
// rate_limit fault classified kRateLimited, refresh, revoke (then kAuthExpired), and a revoked account (POST
// /_sandbox/accounts/revoke) classified kAuthExpired.
// One line per step: "ok   <platform> <step>: detail", "skip ...: reason" or "FAIL ...: error". Exit status 1
// when any step failed, 2 on a bad command line or port file.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/transport/httplib_transport.hpp"
#include "herald/adapters/adapter.hpp"
#include "herald/adapters/marker.hpp"
#include "services/core/crypto/encoding.hpp"
#include "services/core/crypto/hash.hpp"
#include "services/core/crypto/random.hpp"

namespace {

namespace ha = herald::adapters;
using nlohmann::json;

constexpr const char* kRedirectUri = "http://127.0.0.1:9/herald/callback";
// The order of --port-base; platforms of the port file not listed here are checked after these.
const std::vector<std::string> kOrder{"mastodon", "x",     "bluesky", "facebook", "instagram",
                                      "linkedin", "weibo", "wechat",  "douyin"};

struct Counts {
  int ok = 0;
  int skipped = 0;
  int failed = 0;
};

std::string describe(const ha::Error& e) {
  std::string s = std::string(ha::to_string(e.cls)) + " code=" + (e.code.empty() ? "-" : e.code) +
                  " http=" + std::to_string(e.http_status) + ": " + e.message;
  if (e.retry_after) s += " (retry after " + std::to_string(e.retry_after->count()) + " s)";
  return s;
}

std::string html_unescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, strlen(from), to);
  }
  return s;
}

std::string attribute(const std::string& tag, const std::string& name) {
  auto at = tag.find(" " + name + "=\"");
  if (at == std::string::npos) return "";
  at += name.size() + 3;
  return html_unescape(tag.substr(at, tag.find('"', at) - at));
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string rest = url.substr(q + 1, url.find('#') == std::string::npos ? std::string::npos : url.find('#') - q - 1);
  std::stringstream ss(rest);
  std::string pair;
  while (std::getline(ss, pair, '&')) {
    auto eq = pair.find('=');
    out[url_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
  }
  return out;
}

// "YYYY-MM-DD" <-> days since 1970-01-01 (UTC).
long long day_number(const std::string& ymd) {
  std::tm tm{};
  if (std::sscanf(ymd.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) / 86400;
}
std::string day_string(long long day) {
  std::time_t t = static_cast<std::time_t>(day * 86400);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}
// A Graph decimal amount ("12.3") in cents, independently of the adapter's graph::to_minor_units.
long long cents_of(const std::string& decimal) {
  auto dot = decimal.find('.');
  std::string whole = decimal.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : decimal.substr(dot + 1);
  frac = (frac + "00").substr(0, 2);
  return std::stoll(whole) * 100 + std::stoll(frac);
}

std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

class Check {
 public:
  Check(std::string platform, std::string base_url, std::string control, std::string secret)
      : platform_(std::move(platform)), base_url_(base_url), control_(std::move(control)), secret_(std::move(secret)) {
    ha::Endpoint e;
    e.base_url = base_url;
    e.auth_base_url = base_url;
    e.client_id = "herald-" + platform_;
    e.client_secret = secret_;
    adapter_ = ha::make_adapter(platform_, e);
    handle_ = platform_ == "wechat" ? "demo_wechat" : "demo_" + platform_;
  }

  Counts run() {
    if (!adapter_) {
      line("skip", "adapter", "Herald has no adapter for this platform");
      return counts_;
    }
    const auto& caps = adapter_->capabilities();
    if (!step("connect", [&] { return connect(); })) return counts_;
    step("fetch_profile", [&]() -> std::optional<std::string> {
      auto p = adapter_->fetch_profile(transport_, creds_);
      if (!p) return fail(p.error());
      if (p->platform_account_id.empty()) return fail("no platform_account_id");
      return "id=" + p->platform_account_id + " handle=" + p->handle + " name=" + p->display_name;
    });
    bool published = step("publish", [&] { return publish(); });
    if (published) {
      step("read_post", [&]() -> std::optional<std::string> {
        auto r = adapter_->read_post(transport_, creds_, post_id_);
        if (!r) return fail(r.error());
        if (!r->has_value()) return fail("the post was not found");
        if ((*r)->platform_post_id != post_id_) return fail("read back another post: " + (*r)->platform_post_id);
        if (platform_ != "wechat" && (*r)->text.find(text_) == std::string::npos) {
          return fail("the text read back does not contain what was published: " + (*r)->text);
        }
        return "id=" + (*r)->platform_post_id + " url=" + (*r)->url;
      });
      step("find_by_marker", [&]() -> std::optional<std::string> {
        auto r = adapter_->find_by_marker(transport_, creds_, marker_);
        if (!r) return fail(r.error());
        if (!r->has_value()) return fail("the marker was not found");
        if ((*r)->platform_post_id != post_id_) return fail("the marker found another post: " + (*r)->platform_post_id);
        auto none = adapter_->find_by_marker(transport_, creds_, marker_ + "-never-published");
        if (!none) return fail(none.error());
        if (none->has_value()) return fail("a marker never published was found");
        return "found " + post_id_;
      });
      step("list_recent", [&]() -> std::optional<std::string> {
        auto r = adapter_->list_recent(transport_, creds_, "");
        if (!r) return fail(r.error());
        bool found = std::any_of(r->items.begin(), r->items.end(),
                                 [&](const ha::RemotePost& p) { return p.platform_post_id == post_id_; });
        if (!found) return fail("the new post is not among the " + std::to_string(r->items.size()) + " listed");
        return std::to_string(r->items.size()) + " posts, the new one included";
      });
      if (caps.can_reply) {
        step("comment_reply", [&] { return comment_and_reply(); });
      } else {
        line("skip", "comment_reply", "the adapter does not reply");
      }
      if (caps.can_delete) {
        step("delete_post", [&]() -> std::optional<std::string> {
          auto d = adapter_->delete_post(transport_, creds_, post_id_);
          if (!d) return fail(d.error());
          auto r = adapter_->read_post(transport_, creds_, post_id_);
          if (!r) return fail("read after delete: " + describe(r.error()));
          if (r->has_value()) return fail("the deleted post is still read back");
          return "deleted, read_post finds nothing";
        });
      } else {
        line("skip", "delete_post", "the platform deletes no posts through its API");
      }
    }
    if (!caps.has_ads) {
      line("skip", "ads", "the adapter has no ads");
    } else if (platform_ != "facebook") {
      line("skip", "ads", "the sandbox emulates no ads API for " + platform_);
    } else {
      step("ads", [&] { return ads(); });
    }
    step("rate_limit", [&]() -> std::optional<std::string> {
      auto rule =
          control("POST", "/_sandbox/faults", json{{"platform", platform_}, {"kind", "rate_limit"}, {"times", 1}});
      if (!rule) return fail("could not add the fault");
      auto p = adapter_->fetch_profile(transport_, creds_);
      if (p) return fail("the call succeeded despite the rate_limit fault");
      if (p.error().cls != ha::ErrorClass::kRateLimited) return fail("wrong class: " + describe(p.error()));
      return describe(p.error());
    });
    if (caps.supports_refresh && !tokens_.refresh_token.empty()) {
      step("refresh", [&]() -> std::optional<std::string> {
        auto r = adapter_->refresh(transport_, tokens_);
        if (!r) return fail(r.error());
        if (r->access_token.empty()) return fail("no access token");
        use(*r);
        auto p = adapter_->fetch_profile(transport_, creds_);
        if (!p) return fail("the refreshed token does not work: " + describe(p.error()));
        return "a new access token works";
      });
    } else {
      line("skip", "refresh", caps.supports_refresh ? "no refresh token was issued" : "the platform does not refresh");
    }
    if (caps.supports_revoke) {
      step("revoke", [&]() -> std::optional<std::string> {
        auto r = adapter_->revoke(transport_, tokens_);
        if (!r) return fail(r.error());
        auto p = adapter_->fetch_profile(transport_, creds_);
        if (p) return fail("the revoked token still works");
        if (p.error().cls != ha::ErrorClass::kAuthExpired) return fail("wrong class: " + describe(p.error()));
        auto again = connect();  // a live token for the next step
        if (again && again->rfind("FAIL", 0) == 0) return again;
        return "revoked, then " + describe(p.error());
      });
    } else {
      line("skip", "revoke", "the platform has no token revocation");
    }
    step("revoked_account", [&]() -> std::optional<std::string> {
      auto r = control("POST", "/_sandbox/accounts/revoke", json{{"platform", platform_}, {"handle", handle_}});
      if (!r) return fail("the control API refused the revocation");
      auto p = adapter_->fetch_profile(transport_, creds_);
      if (p) return fail("the call succeeded with a revoked token");
      if (p.error().cls != ha::ErrorClass::kAuthExpired) return fail("wrong class: " + describe(p.error()));
      return describe(p.error());
    });
    return counts_;
  }

 private:
  // A step returns its detail on success, or a string starting with "FAIL" (see fail()).
  bool step(const std::string& name, const std::function<std::optional<std::string>()>& body) {
    std::optional<std::string> r;
    try {
      r = body();
    } catch (const std::exception& e) {
      r = "FAIL exception: " + std::string(e.what());
    }
    if (r && r->rfind("FAIL", 0) == 0) {
      line("FAIL", name, r->substr(5));
      return false;
    }
    line("ok", name, r.value_or(""));
    return true;
  }
  static std::string fail(const std::string& why) { return "FAIL " + why; }
  static std::string fail(const ha::Error& e) { return "FAIL " + describe(e); }

  void line(const std::string& status, const std::string& step, const std::string& detail) {
    if (status == "ok") ++counts_.ok;
    if (status == "skip") ++counts_.skipped;
    if (status == "FAIL") ++counts_.failed;
    std::string padded = status + std::string(5 - std::min<std::size_t>(status.size(), 4), ' ');
    std::cout << padded << platform_ << " " << step << (detail.empty() ? "" : ": " + detail) << std::endl;
  }

  std::optional<json> control(const std::string& method, const std::string& path, const json& body = nullptr) {
    ha::HttpRequest req{method, control_ + path, {}, ""};
    if (!body.is_null()) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = body.dump();
    }
    auto res = transport_.send(req);
    if (res.transport_error || res.status < 200 || res.status >= 300) return std::nullopt;
    return json::parse(res.body.empty() ? "{}" : res.body, nullptr, false);
  }

  void use(const ha::TokenSet& t) {
    tokens_ = t;
    creds_.access_token = t.access_token;
    if (!t.platform_account_id.empty()) creds_.platform_account_id = t.platform_account_id;
  }

  std::optional<std::string> connect() {
    std::string code;
    std::string verifier;
    std::string redirect;
    if (platform_ == "bluesky") {
      code = secret_;  // the app password, and the handle as the verifier (the adapter's convention)
      verifier = handle_;
    } else if (platform_ == "wechat") {
      code = secret_;  // AppSecret, and the AppID as the verifier
      verifier = "herald-wechat";
    } else {
      verifier = herald::core::crypto::base64url_encode(herald::core::crypto::random_bytes(32));
      std::string state = herald::core::crypto::random_token(8);
      ha::AuthorizeRequest ar{
          kRedirectUri, state, herald::core::crypto::base64url_encode(herald::core::crypto::sha256(verifier)), {}};
      auto url = adapter_->authorize_url(ar);
      if (url.empty()) return fail("authorize_url is empty");
      auto page = transport_.send({"GET", url, {}, ""});
      if (page.status != 200)
        return fail("the authorize page answered " + std::to_string(page.status) + ": " + page.body);
      if (page.body.find("Herald sandbox: simulated") == std::string::npos) {
        return fail("the authorize page does not say it is the sandbox");
      }
      // The form a person would submit: its hidden fields, the prefilled handle, Approve.
      auto form_at = page.body.find("<form");
      if (form_at == std::string::npos) return fail("no form on the authorize page");
      std::string action = attribute(page.body.substr(form_at, page.body.find('>', form_at) - form_at), "action");
      std::vector<std::pair<std::string, std::string>> fields;
      for (auto at = page.body.find("<input", form_at); at != std::string::npos;
           at = page.body.find("<input", at + 1)) {
        std::string tag = page.body.substr(at, page.body.find('>', at) - at);
        auto name = attribute(tag, "name");
        if (name == "handle") handle_ = attribute(tag, "value");
        if (!name.empty()) fields.emplace_back(name, attribute(tag, "value"));
      }
      fields.emplace_back("decision", "approve");
      auto res = transport_.send({"POST",
                                  origin_of(url) + action,
                                  {{"Content-Type", "application/x-www-form-urlencoded"}},
                                  ha::form_encode(fields)});
      auto location = res.header("location").value_or("");
      if (res.status != 302 || location.rfind(kRedirectUri, 0) != 0) {
        return fail("approving answered " + std::to_string(res.status) + " location=" + location + " " + res.body);
      }
      auto q = query_of(location);
      if (q["state"] != state) return fail("the redirect lost the state");
      if (q["code"].empty()) return fail("no code in the redirect: " + location);
      code = q["code"];
      redirect = kRedirectUri;
    }
    auto tokens = adapter_->exchange_code(transport_, code, verifier, redirect);
    if (!tokens) return fail(tokens.error());
    if (tokens->access_token.empty()) return fail("no access token");
    creds_ = ha::Credentials{};
    use(*tokens);
    creds_.extra["handle"] = handle_;
    std::string how = platform_ == "bluesky" || platform_ == "wechat" ? "credentials" : "authorize form";
    return how + ", account " + creds_.platform_account_id + (tokens->refresh_token.empty() ? "" : ", refresh token");
  }

  std::optional<std::string> publish() {
    // Hex only: LinkedIn's little text would escape '_' and '-' in what it reads back.
    auto nonce = herald::core::crypto::hex_encode(herald::core::crypto::random_bytes(5));
    text_ = "Herald contract check " + platform_ + " " + nonce + " 你好";
    marker_ = "contract-" + platform_ + "-" + nonce;
    ha::PostContent content;
    content.text = text_;
    content.client_marker = marker_;
    content.idempotency_key = "contract-" + nonce;
    auto media = [&](ha::Media::Kind kind, const std::string& name, const std::string& type) {
      ha::Media m;
      m.kind = kind;
      m.url = control_ + "/_sandbox/media/" + name;
      m.mime_type = type;
      return m;
    };
    std::string what = "text";
    if (platform_ == "instagram") {
      content.media.push_back(media(ha::Media::Kind::kImage, "sample.jpg", "image/jpeg"));
      what = "an image";
    } else if (platform_ == "weibo") {
      content.link = "https://example.com/herald/contract";  // the sandbox app's 安全域名
      what = "text with a safe-domain link";
    } else if (platform_ == "wechat") {
      content.title = "Herald contract check " + nonce;
      content.media.push_back(media(ha::Media::Kind::kImage, "sample.jpg", "image/jpeg"));
      what = "an article with a cover";
    } else if (platform_ == "douyin") {
      content.media.push_back(media(ha::Media::Kind::kVideo, "sample.mp4", "video/mp4"));
      what = "a video";
    }
    auto r = adapter_->publish(transport_, creds_, content);
    if (!r) return fail(r.error());
    if (r->platform_post_id.empty()) return fail("no post id");
    post_id_ = r->platform_post_id;
    return what + ", id=" + post_id_ + (r->url.empty() ? "" : " url=" + r->url);
  }

  std::optional<std::string> comment_and_reply() {
    auto gen = control(
        "POST", "/_sandbox/generate",
        json{{"platform", platform_}, {"handle", handle_}, {"kind", "comment"}, {"count", 1}, {"delivery", "poll"}});
    if (!gen || !gen->is_object()) return fail("the control API refused to generate a comment");
    std::string id = gen->value("first_id", "");
    auto page = adapter_->fetch_inbound(transport_, creds_, ha::InboundKind::kComment, "");
    if (!page) return fail("fetch_inbound: " + describe(page.error()));
    auto it = std::find_if(page->items.begin(), page->items.end(),
                           [&](const ha::InboundItem& i) { return i.platform_item_id == id; });
    if (it == page->items.end()) {
      std::string seen;
      for (const auto& i : page->items) seen += " " + i.platform_item_id;
      return fail("fetch_inbound did not return the generated comment " + id + " (got" + seen + ")");
    }
    if (it->platform_post_id != post_id_) return fail("the comment is on " + it->platform_post_id + ", not the post");
    if (it->text.empty()) return fail("the comment has no text");
    const std::string answer = "Thanks for the comment 谢谢";
    auto r = adapter_->reply(transport_, creds_, *it, answer, "reply-" + id);
    if (!r) return fail("reply: " + describe(r.error()));
    // The sandbox's own view: the reply is there (WeChat keeps the reply on the comment itself).
    auto state = control("GET", "/_sandbox/state?platform=" + platform_ + "&handle=" + handle_);
    if (!state || !state->is_object()) return fail("no sandbox state");
    bool stored = platform_ == "wechat";
    for (const auto& rep : state->value("replies", json::array())) {
      if (rep.value("text", "").find(answer) != std::string::npos) stored = true;
    }
    if (!stored) return fail("the reply is not in the sandbox's state");
    return "comment " + id + " by " + (it->author_handle.empty() ? it->author_id : it->author_handle) +
           " read back and answered (" + (r->empty() ? "no id" : *r) + ")";
  }

  // fetch_ad_entities must give the account, then campaigns, ad sets and ads, each under a parent of the level
  // above; fetch_ad_insights one row per ad per active day, with the raw rows' spend and revenue in cents.
  std::optional<std::string> ads() {
    auto mine = control("GET", "/_sandbox/facebook/ad-accounts?handle=" + handle_);
    if (!mine || !mine->is_array() || mine->empty()) return fail("the control API lists no ad account");
    auto automatic = adapter_->fetch_ad_entities(transport_, creds_, (*mine)[0].value("id", ""));
    if (!automatic) return fail("automatic account: " + describe(automatic.error()));
    std::size_t expected =
        1 + (*mine)[0].value("campaigns", 0u) + (*mine)[0].value("ad_sets", 0u) + (*mine)[0].value("ads", 0u);
    if (automatic->size() != expected) {
      return fail("the automatic account has " + std::to_string(automatic->size()) + " entities, not " +
                  std::to_string(expected));
    }
    auto made = control("POST", "/_sandbox/facebook/ad-accounts",
                        json{{"handle", handle_},
                             {"ads", 40},
                             {"days", 20},
                             {"currency", "EUR"},
                             {"ads_per_adset", 4},
                             {"adsets_per_campaign", 5}});
    if (!made || !made->is_object()) return fail("the control API did not make an ad account");
    const std::string account_id = made->value("account_id", "");  // without act_: the adapter adds it
    auto entities = adapter_->fetch_ad_entities(transport_, creds_, account_id);
    if (!entities) return fail(entities.error());
    using Level = ha::AdEntity::Level;
    std::map<Level, std::vector<const ha::AdEntity*>> by_level;
    std::map<std::string, Level> level_of;
    for (const auto& e : *entities) {
      by_level[e.level].push_back(&e);
      level_of[e.id] = e.level;
      if (e.currency != "EUR") return fail("entity " + e.id + " has currency " + e.currency);
    }
    if (by_level[Level::kAccount].size() != 1 || by_level[Level::kCampaign].size() != 2 ||
        by_level[Level::kAdSet].size() != 10 || by_level[Level::kAd].size() != 40) {
      return fail("expected 1 account, 2 campaigns, 10 ad sets and 40 ads; got " + std::to_string(entities->size()) +
                  " entities");
    }
    const Level parent_level[] = {Level::kAccount, Level::kAccount, Level::kCampaign, Level::kAdSet};
    std::map<std::string, bool> campaign_budget;
    int videos = 0;
    for (const auto& e : *entities) {
      if (e.level == Level::kAccount) continue;
      auto p = level_of.find(e.parent_id);
      if (p == level_of.end() || p->second != parent_level[static_cast<int>(e.level)]) {
        return fail("entity " + e.id + " hangs under " + e.parent_id + ", not an entity of the level above");
      }
      if (e.level == Level::kCampaign) {
        if (e.objective.rfind("OUTCOME_", 0) != 0) return fail("campaign " + e.id + " objective " + e.objective);
        campaign_budget[e.id] = e.daily_budget_minor.has_value();
      }
      if (e.level == Level::kAdSet && campaign_budget[e.parent_id] == e.daily_budget_minor.has_value()) {
        return fail("ad set " + e.id + ": a budget must be on the campaign or on its ad sets, not both or neither");
      }
      if (e.daily_budget_minor && *e.daily_budget_minor <= 0) return fail("entity " + e.id + " has a zero budget");
      if (e.level == Level::kAd && e.ad_type != "video" && e.ad_type != "in_feed") {
        return fail("ad " + e.id + " has ad_type " + e.ad_type);
      }
      if (e.level == Level::kAd && e.ad_type == "video") ++videos;
    }
    // From five days before the account's first day to today: only its active days have rows.
    long long first = day_number(made->value("first_day", ""));
    long long active = made->value("active_days", 0LL);
    std::string from = day_string(first - 5), to = day_string(first + active - 1);
    auto rows = adapter_->fetch_ad_insights(transport_, creds_, account_id, from, to);
    if (!rows) return fail(rows.error());
    if (static_cast<long long>(rows->size()) != 40 * active) {
      return fail(std::to_string(rows->size()) + " insight rows, not 40 ads x " + std::to_string(active) + " days");
    }
    std::map<std::pair<std::string, std::string>, const ha::AdInsight*> seen;
    for (const auto& r : *rows) {
      auto l = level_of.find(r.entity_id);
      if (l == level_of.end() || l->second != Level::kAd) return fail("an insight row for " + r.entity_id);
      long long d = day_number(r.date);
      if (d < first || d > first + active - 1) return fail("an insight row on an inactive day " + r.date);
      if (!seen.emplace(std::make_pair(r.entity_id, r.date), &r).second) return fail("two rows " + r.entity_id);
      if (r.impressions <= 0 || r.spend_minor <= 0 || r.currency != "EUR") return fail("row " + r.entity_id);
    }
    // The raw Graph rows of one day: the adapter's minor units are their decimal amounts in cents.
    std::string last = to;
    auto url = base_url_ + "/v19.0/act_" + account_id + "/insights?level=ad&time_increment=1&limit=100" +
               "&fields=ad_id,spend,actions,action_values&" +
               ha::form_encode({{"time_range", json{{"since", last}, {"until", last}}.dump()}});
    auto raw = transport_.send({"GET", url, {{"Authorization", "Bearer " + creds_.access_token}}, ""});
    auto body = json::parse(raw.body, nullptr, false);
    if (raw.status != 200 || !body.is_object() || body["data"].size() != 40) {
      return fail("the raw insights of " + last + " answered " + std::to_string(raw.status) + ": " + raw.body);
    }
    long long spend = 0, revenue = 0;
    for (const auto& d : body["data"]) {
      auto it = seen.find({d.value("ad_id", ""), last});
      if (it == seen.end()) return fail("the adapter has no row for " + d.value("ad_id", "") + " on " + last);
      long long cents = cents_of(d.value("spend", "0"));
      if (it->second->spend_minor != cents) {
        return fail("spend " + d.value("spend", "") + " became " + std::to_string(it->second->spend_minor));
      }
      long long value = 0;
      for (const auto& a : d.value("action_values", json::array())) {
        if (a.value("action_type", "") == "omni_purchase") value = cents_of(a.value("value", "0"));
      }
      if (it->second->revenue_minor != value) return fail("revenue of " + d.value("ad_id", "") + " on " + last);
      spend += cents;
      revenue += value;
    }
    // The Marketing API's own throttle (613 with X-Ad-Account-Usage) is a rate limit to the adapter too.
    auto rule = control("POST", "/_sandbox/faults",
                        json{{"platform", platform_},
                             {"kind", "rate_limit"},
                             {"path_prefix", "/v19.0/act_" + account_id},
                             {"times", 1}});
    if (!rule) return fail("could not add the ad-account fault");
    auto limited = adapter_->fetch_ad_insights(transport_, creds_, account_id, to, to);
    if (limited) return fail("fetch_ad_insights succeeded despite the rate_limit fault");
    if (limited.error().cls != ha::ErrorClass::kRateLimited) return fail("wrong class: " + describe(limited.error()));
    return std::to_string(automatic->size()) + " entities in the automatic account; act_" + account_id + ": " +
           std::to_string(entities->size()) + " entities (" + std::to_string(videos) + " video ads), " +
           std::to_string(rows->size()) + " insight rows for " + from + ".." + to + "; on " + last + " spend " +
           std::to_string(spend) + " and revenue " + std::to_string(revenue) +
           " euro cents, as Graph's decimals; a throttled ad account is " + describe(limited.error());
  }

  std::string platform_;
  std::string base_url_;
  std::string control_;
  std::string secret_;
  std::string handle_;
  std::unique_ptr<ha::Adapter> adapter_;
  ha::HttplibTransport transport_;
  ha::TokenSet tokens_;
  ha::Credentials creds_;
  std::string post_id_;
  std::string text_;
  std::string marker_;
  Counts counts_;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string port_file;
  std::string secret = "sandbox-secret";
  std::vector<std::string> only;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--client-secret" && i + 1 < args.size()) {
      secret = args[++i];
    } else if (port_file.empty()) {
      port_file = args[i];
    } else {
      only.push_back(args[i]);
    }
  }
  if (port_file.empty()) {
    std::cerr << "usage: sandbox_contract_check PORT_FILE [--client-secret S] [PLATFORM...]\n";
    return 2;
  }
  std::ifstream in(port_file);
  json ports = json::parse(in, nullptr, false);
  if (!ports.is_object() || !ports.contains("control") || !ports.contains("platforms")) {
    std::cerr << "not a herald-sandbox port file: " << port_file << "\n";
    return 2;
  }
  std::vector<std::string> names;
  for (const auto& p : kOrder) {
    if (ports["platforms"].contains(p)) names.push_back(p);
  }
  for (const auto& [p, url] : ports["platforms"].items()) {
    if (std::find(names.begin(), names.end(), p) == names.end()) names.push_back(p);
  }
  Counts total;
  for (const auto& p : names) {
    if (!only.empty() && std::find(only.begin(), only.end(), p) == only.end()) continue;
    Check check(p, ports["platforms"][p].get<std::string>(), ports["control"].get<std::string>(), secret);
    auto c = check.run();
    total.ok += c.ok;
    total.skipped += c.skipped;
    total.failed += c.failed;
  }
  std::cout << total.ok << " ok, " << total.skipped << " skipped, " << total.failed << " failed" << std::endl;
  return total.failed == 0 && total.ok > 0 ? 0 : 1;
}
