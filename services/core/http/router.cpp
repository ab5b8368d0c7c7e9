#include "services/core/http/router.hpp"

#include "services/core/http/problem.hpp"

namespace herald::core::http {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool match_segments(const Route& r, const std::vector<std::string>& parts,
                    std::map<std::string, std::string>* params) {
  const auto& segs = r.segments;
  bool wildcard = !segs.empty() && segs.back() == "*";
  std::size_t fixed = wildcard ? segs.size() - 1 : segs.size();
  if (wildcard ? parts.size() < fixed : parts.size() != fixed) return false;
  for (std::size_t i = 0; i < fixed; ++i) {
    const auto& s = segs[i];
    if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
      if (params != nullptr) (*params)[s.substr(1, s.size() - 2)] = url_decode(parts[i], false);
    } else if (s != parts[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, Handler handler) {
  Route r{method, pattern, std::move(handler), split_path(pattern)};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(beast_http::verb method, const std::string& path, Request& req) const {
  Match m;
  auto parts = split_path(path);
  // Literal routes win over parameterised ones, which win over wildcards: try in that order.
  auto rank = [](const Route& r) {
    int score = 0;
    for (const auto& s : r.segments) {
      if (s == "*") score += 100;
      else if (!s.empty() && s.front() == '{') score += 1;
    }
    return score;
  };
  const Route* best = nullptr;
  int best_rank = 0;
  for (const auto& r : routes_) {
    if (!match_segments(r, parts, nullptr)) continue;
    bool wildcard = !r.segments.empty() && r.segments.back() == "*";
    if (r.method != method && wildcard) continue;  // a catch-all does not make a path "known"
    m.path_known = true;
    std::string name(beast_http::to_string(r.method));
    if (std::find(m.allowed.begin(), m.allowed.end(), name) == m.allowed.end()) {
      m.allowed.push_back(name);
    }
    if (r.method != method) continue;
    int rk = rank(r);
    if (best == nullptr || rk < best_rank) {
      best = &r;
      best_rank = rk;
    }
  }
  if (best != nullptr) {
    match_segments(*best, parts, &req.params);
    m.route = best;
  }
  return m;
}

}  // namespace herald::core::http
