// /api/v1/audit: the hash-chained audit log (organization admins).
#include <limits>

#include "services/core/http/problem.hpp"
#include "services/gateway/api/context.hpp"
#include "services/gateway/api/dto.hpp"

namespace herald::gateway {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;

namespace {
std::int64_t parse_positive(const std::optional<std::string>& s, const char* name, std::int64_t fallback,
                            std::int64_t max) {
  if (!s) return fallback;
  try {
    std::size_t pos = 0;
    auto v = std::stoll(*s, &pos);
    if (pos != s->size() || v < 1 || v > max) throw std::out_of_range(name);
    return v;
  } catch (const std::exception&) {
    http::bad_request(std::string(name) + " must be an integer between 1 and " + std::to_string(max),
                      {{"field", name}});
  }
}
}  // namespace

void register_audit_routes(http::Router& router, GatewayContext& ctx) {
  // Newest first; `cursor` is the seq to continue below (next_cursor of the previous page).
  router.add(verb::get, "/api/v1/audit", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    require_admin(p);
    auto limit = parse_positive(req.query_param("limit"), "limit", 50, 500);
    auto before = parse_positive(req.query_param("cursor"), "cursor", std::numeric_limits<std::int64_t>::max(),
                                 std::numeric_limits<std::int64_t>::max());
    auto page = co_await ctx.blocking.run([&] { return ctx.store.audit_page(p.org_id, before, static_cast<int>(limit)); });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& e : page) items.push_back(to_json(e));
    nlohmann::json out{{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<std::int64_t>(page.size()) == limit && page.back().seq > 1) {
      out["next_cursor"] = std::to_string(page.back().seq);
    }
    co_return http::json_response(req, 200, out);
  }));

  router.add(verb::get, "/api/v1/audit/verify", authed(ctx, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    require_admin(p);
    auto check = co_await ctx.blocking.run([&] { return ctx.store.verify_audit(); });
    nlohmann::json out{{"ok", check.ok}, {"checked", check.checked}};
    out["first_bad_seq"] = check.first_bad_seq ? nlohmann::json(*check.first_bad_seq) : nlohmann::json(nullptr);
    out["reason"] = check.ok ? nlohmann::json(nullptr) : nlohmann::json(check.reason);
    co_return http::json_response(req, 200, out);
  }));
}

}  // namespace herald::gateway
