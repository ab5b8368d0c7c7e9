// The table of platforms: name -> adapter factory. Each platform folder declares its factory in
// <platform>/<platform>_adapter.hpp; add one line here per platform.
#include <functional>
#include <map>

#include "herald/adapters/adapter.hpp"
#include "adapters/weibo/weibo_adapter.hpp"
#include "adapters/wechat/wechat_adapter.hpp"
#include "adapters/douyin/douyin_adapter.hpp"
#include "adapters/assisted/assisted_adapter.hpp"
#include "adapters/x/x_adapter.hpp"
#include "adapters/mastodon/mastodon_adapter.hpp"
#include "adapters/facebook/facebook_adapter.hpp"
#include "adapters/instagram/instagram_adapter.hpp"
#include "adapters/bluesky/bluesky_adapter.hpp"
#include "adapters/linkedin/linkedin_adapter.hpp"

namespace herald::adapters {
namespace {

using Factory = std::function<std::unique_ptr<Adapter>(Endpoint)>;

const std::vector<std::pair<std::string, Factory>>& table() {
  static const std::vector<std::pair<std::string, Factory>> kTable = {
      // International platforms:
      {"x", [](Endpoint e) { return make_x_adapter(std::move(e)); }},
      {"mastodon", [](Endpoint e) { return make_mastodon_adapter(std::move(e)); }},
      {"facebook", [](Endpoint e) { return make_facebook_adapter(std::move(e)); }},
      {"instagram", [](Endpoint e) { return make_instagram_adapter(std::move(e)); }},
      {"bluesky", [](Endpoint e) { return make_bluesky_adapter(std::move(e)); }},
      {"linkedin", [](Endpoint e) { return make_linkedin_adapter(std::move(e)); }},
      // Platforms of mainland China:
      {"weibo", [](Endpoint e) { return make_weibo_adapter(std::move(e)); }},
      {"wechat", [](Endpoint e) { return make_wechat_adapter(std::move(e)); }},
      {"douyin", [](Endpoint e) { return make_douyin_adapter(std::move(e)); }},
      // Assisted publishing (no brand publishing API):
      {"kuaishou", [](Endpoint e) { return make_kuaishou_adapter(std::move(e)); }},
      {"bilibili", [](Endpoint e) { return make_bilibili_adapter(std::move(e)); }},
      {"xiaohongshu", [](Endpoint e) { return make_xiaohongshu_adapter(std::move(e)); }},
  };
  return kTable;
}

}  // namespace

const std::vector<std::string>& platforms() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& [name, factory] : table()) names.push_back(name);
    return names;
  }();
  return kNames;
}

bool is_platform(std::string_view name) {
  for (const auto& n : platforms()) {
    if (n == name) return true;
  }
  return false;
}

std::unique_ptr<Adapter> make_adapter(std::string_view platform, Endpoint endpoint) {
  for (const auto& [name, factory] : table()) {
    if (name == platform) return factory(std::move(endpoint));
  }
  return nullptr;
}

}  // namespace herald::adapters
