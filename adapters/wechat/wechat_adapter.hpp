#pragma once
// WeChat Official Accounts (微信公众号) through api.weixin.qq.com (see wechat_adapter.cpp).
// The account connects with its own AppID/AppSecret (no user OAuth): Herald shows an AppID/AppSecret
// form and calls exchange_code(code = AppSecret, code_verifier = AppID). Endpoint.client_secret
// holds the Token of the account's 服务器配置 (server configuration) that signs webhooks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "herald/adapters/adapter.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_wechat_adapter(Endpoint endpoint);
// now: unix seconds (token expiry, webhook freshness, daily quota reset); sleep: the pause between
// freepublish/get polls (tests pass a no-op).
std::unique_ptr<Adapter> make_wechat_adapter(Endpoint endpoint, std::function<std::int64_t()> now,
                                             std::function<void(std::chrono::milliseconds)> sleep);

}  // namespace herald::adapters
