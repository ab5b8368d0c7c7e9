#pragma once
// Douyin (抖音) through the Douyin Open Platform at open.douyin.com (see douyin_adapter.cpp).
#include <cstdint>
#include <functional>
#include <memory>

#include "herald/adapters/adapter.hpp"

namespace herald::adapters {

std::unique_ptr<Adapter> make_douyin_adapter(Endpoint endpoint);
// now: unix seconds, for token expiry and the daily quota reset (tests fix it).
std::unique_ptr<Adapter> make_douyin_adapter(Endpoint endpoint, std::function<std::int64_t()> now);

}  // namespace herald::adapters
