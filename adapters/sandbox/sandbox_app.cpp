#include "adapters/sandbox/sandbox_app.hpp"

#include <cstdio>
#include <fstream>

#include "adapters/sandbox/control_routes.hpp"
#include "adapters/sandbox/platforms/bluesky.hpp"
#include "adapters/sandbox/platforms/douyin.hpp"
#include "adapters/sandbox/platforms/facebook.hpp"
#include "adapters/sandbox/platforms/instagram.hpp"
#include "adapters/sandbox/platforms/linkedin.hpp"
#include "adapters/sandbox/platforms/mastodon.hpp"
#include "adapters/sandbox/platforms/wechat.hpp"
#include "adapters/sandbox/platforms/weibo.hpp"
#include "adapters/sandbox/platforms/x.hpp"

namespace herald::sandbox {

SandboxApp::SandboxApp(SandboxOptions options, const core::Clock& clock, core::log::Logger logger)
    : options_(std::move(options)),
      clock_(clock),
      logger_(std::move(logger)),
      store_(clock_),
      oauth_(clock_, options_.config.token_ttl),
      generator_(options_.config.seed),
      ctx_{clock_, options_.config, store_, oauth_, log_, faults_, webhooks_, generator_, hangs_} {
  platforms_.push_back(std::make_unique<MastodonPlatform>(ctx_));
  platforms_.push_back(std::make_unique<XPlatform>(ctx_));
  platforms_.push_back(std::make_unique<BlueskyPlatform>(ctx_));
  platforms_.push_back(std::make_unique<FacebookPlatform>(ctx_));
  platforms_.push_back(std::make_unique<InstagramPlatform>(ctx_));
  platforms_.push_back(std::make_unique<LinkedinPlatform>(ctx_));
  platforms_.push_back(std::make_unique<WeiboPlatform>(ctx_));
  platforms_.push_back(std::make_unique<WechatPlatform>(ctx_));
  platforms_.push_back(std::make_unique<DouyinPlatform>(ctx_));

  auto make_listener = [&](const std::string& name, std::uint16_t offset, bool platform) {
    Listener l;
    l.name = name;
    l.router = std::make_unique<core::http::Router>();
    l.metrics = std::make_unique<core::metrics::Registry>();
    l.logger = std::make_unique<core::log::Logger>(logger_.with({{"listener", name}}));
    core::config::HttpConfig http;
    http.listen_address = options_.listen;
    http.port = options_.port_base ? static_cast<std::uint16_t>(*options_.port_base + offset) : 0;
    http.io_threads = platform ? 2 : 1;
    http.body_limit_bytes = platform ? 32u << 20 : 1u << 20;  // media uploads
    http.read_timeout = std::chrono::seconds(60);
    http.idle_timeout = std::chrono::seconds(120);
    // Dropped and hung connections never finish in the server's count: do not wait long for them.
    http.drain_timeout = std::chrono::milliseconds(500);
    l.server = std::make_unique<core::http::Server>(http, *l.router, *l.logger, *l.metrics);
    return l;
  };
  listeners_.push_back(make_listener("control", 0, false));
  for (auto& p : platforms_) platform_map_[p->name()] = p.get();
  add_control_routes(*listeners_[0].router, ctx_, platform_map_, [this] { return ports_json(); });
  for (std::size_t i = 0; i < kPlatformOrder.size(); ++i) {
    listeners_.push_back(make_listener(kPlatformOrder[i], static_cast<std::uint16_t>(i + 1), true));
    platform_map_.at(kPlatformOrder[i])->install(*listeners_.back().router);
  }
  listeners_[0].server->on_shutdown([this] { hangs_.release_all(); });
}

SandboxApp::~SandboxApp() {
  shutdown();
  webhooks_.stop();
}

std::string SandboxApp::url_of(const Listener& l) const {
  std::string host = options_.listen;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6
  return "http://" + host + ":" + std::to_string(l.server->port());
}

void SandboxApp::start() {
  for (auto& l : listeners_) l.server->start();
  for (std::size_t i = 1; i < listeners_.size(); ++i) {
    for (auto& p : platforms_) {
      if (p->name() == listeners_[i].name) p->set_base_url(url_of(listeners_[i]));
    }
  }
  if (!options_.port_file.empty()) {
    std::string tmp = options_.port_file + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << ports_json().dump() << "\n";
      if (!out) throw std::runtime_error("cannot write the port file " + tmp);
    }
    if (std::rename(tmp.c_str(), options_.port_file.c_str()) != 0) {
      throw std::runtime_error("cannot rename the port file into " + options_.port_file);
    }
  }
  logger_.info("sandbox ready", {{"ports", ports_json()}, {"seed", options_.config.seed}});
}

nlohmann::json SandboxApp::ports_json() const {
  nlohmann::json platforms = nlohmann::json::object();
  for (std::size_t i = 1; i < listeners_.size(); ++i) platforms[listeners_[i].name] = url_of(listeners_[i]);
  return {{"control", url_of(listeners_[0])}, {"platforms", platforms}};
}

void SandboxApp::run() {
  std::vector<std::thread> threads;
  for (auto& l : listeners_) threads.emplace_back([&l] { l.server->run(false); });
  for (auto& t : threads) t.join();
}

void SandboxApp::shutdown() {
  if (stopped_.exchange(true)) return;
  hangs_.release_all();
  for (auto& l : listeners_) l.server->shutdown();
}

}  // namespace herald::sandbox
