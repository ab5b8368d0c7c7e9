#pragma once
// Sina Weibo (微博) through its open API v2 at api.weibo.com (see weibo_adapter.cpp).
#include <cstdint>
#include <functional>
#include <memory>

#include "herald/adapters/adapter.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_weibo_adapter(Endpoint endpoint);
// now: unix seconds, for token expiry and the hourly rate-limit windows (tests fix it).
std::unique_ptr<Adapter> make_weibo_adapter(Endpoint endpoint, std::function<std::int64_t()> now);

}  // namespace herald::adapters
