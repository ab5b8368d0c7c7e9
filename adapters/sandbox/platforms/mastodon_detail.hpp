#pragma once
// Pieces shared by the Mastodon emulator's two files (mastodon.cpp, mastodon_timelines.cpp).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sandbox/forms.hpp"
#include "adapters/sandbox/util.hpp"

namespace herald::sandbox::mastodon_detail {

inline constexpr char kPlatform[] = "mastodon";

// Mastodon ids are snowflake-sized decimal strings.
inline std::string format_id(std::uint64_t n) { return std::to_string(110000000000000000ULL + n); }

// Applies Mastodon's id-cursor pagination to `items` (ascending by id): newest first, `limit`
// of them, below max_id and above since_id; with min_id, the ones immediately above min_id.
template <class T, class IdOf>
inline std::vector<T> paginate(std::vector<T> items, const Params& p, IdOf id_of, int default_limit, int max_limit) {
  std::uint64_t limit = static_cast<std::uint64_t>(default_limit);
  if (auto l = p.get("limit")) {
    std::uint64_t v = 0;
    if (parse_u64(*l, v) && v > 0) limit = std::min<std::uint64_t>(v, static_cast<std::uint64_t>(max_limit));
  }
  auto max_id = p.get_or("max_id", "");
  auto since_id = p.get_or("since_id", "");
  auto min_id = p.get_or("min_id", "");
  std::vector<T> out;
  for (auto& it : items) {
    const std::string& id = id_of(it);
    if (!max_id.empty() && !id_less(id, max_id)) continue;
    if (!since_id.empty() && !id_less(since_id, id)) continue;
    if (!min_id.empty() && !id_less(min_id, id)) continue;
    out.push_back(std::move(it));
  }
  std::sort(out.begin(), out.end(), [&](const T& a, const T& b) { return id_less(id_of(a), id_of(b)); });
  if (!min_id.empty()) {
    if (out.size() > limit) out.resize(limit);  // the oldest ones right above min_id
    std::reverse(out.begin(), out.end());
  } else {
    std::reverse(out.begin(), out.end());
    if (out.size() > limit) out.resize(limit);
  }
  return out;
}

}  // namespace herald::sandbox::mastodon_detail
