// /api/v1/crisis/evidence[/export | /verify]: thin handlers over EvidenceVault (evidence.hpp).
#include "services/contracts/iam/handlers.hpp"
#include "services/core/http/json_body.hpp"
#include "services/core/http/problem.hpp"
#include "services/crisis/api/freeze_routes.hpp"

namespace herald::crisis {

namespace http = core::http;
using boost::asio::awaitable;
using verb = boost::beast::http::verb;
using iam::Principal;


void register_evidence_routes(http::Router& router, CrisisContext& ctx) {
  router.add(verb::get, "/api/v1/crisis/evidence", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto after = number_query(req, "after", 0, 0, std::int64_t{1} << 53);
    auto limit = static_cast<int>(number_query(req, "limit", 100, 1, 500));
    auto subject = req.query_param("subject_id").value_or("");
    auto items = co_await ctx.blocking.run([&] { return ctx.evidence.list(p, after, limit, subject); });
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : items) out.push_back(to_json(e));
    nlohmann::json next = items.size() == static_cast<std::size_t>(limit) ? nlohmann::json(items.back().seq)
                                                                          : nlohmann::json(nullptr);
    co_return http::json_response(req, 200, {{"items", out}, {"next_after", next}});
  }));

  router.add(verb::post, "/api/v1/crisis/evidence", iam::authed_create(ctx.identity, ctx.idempotency, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    http::JsonBody body(req);
    EvidenceInput in;
    in.kind = body.required_string("kind", 1, 40);
    in.subject_id = body.optional_string("subject_id", 0, 100).value_or("");
    in.brand_id = body.optional_string("brand_id", 0, 36).value_or("");
    auto content = body.optional_raw("content");
    if (!content) http::invalid_field("content", "required: the evidence itself, as JSON");
    in.content = *content;
    body.finish();
    auto e = co_await ctx.blocking.run([&] { return ctx.evidence.record(p, in); });
    co_return http::json_response(req, 201, to_json(e));
  }));

  router.add(verb::get, "/api/v1/crisis/evidence/export", iam::authed(ctx.identity, [&ctx](http::Request& req, const Principal& p) -> awaitable<http::Response> {
    auto bundle = co_await ctx.blocking.run([&] { return ctx.evidence.export_bundle(p); });
    auto res = http::json_response(req, 200, bundle);
    res.set(boost::beast::http::field::content_disposition, "attachment; filename=\"herald-evidence.json\"");
    co_return res;
  }));

  router.add(verb::post, "/api/v1/crisis/evidence/verify", iam::authed(ctx.identity, [](http::Request& req, const Principal&) -> awaitable<http::Response> {
    auto doc = nlohmann::json::parse(req.raw.body(), nullptr, false);
    if (doc.is_discarded()) http::bad_request("the body is not JSON: send the bundle from /api/v1/crisis/evidence/export");
    EvidenceCheckResult r;
    try {
      r = EvidenceVault::verify_bundle(doc);
    } catch (const std::invalid_argument& e) {
      http::bad_request(std::string("not an evidence bundle: ") + e.what());
    }
    co_return http::json_response(req, 200,
                                  {{"valid", r.chain.ok && r.manifest_matches},
                                   {"checked", r.chain.checked},
                                   {"first_bad_seq", r.chain.first_bad_seq ? nlohmann::json(*r.chain.first_bad_seq)
                                                                           : nlohmann::json(nullptr)},
                                   {"reason", r.chain.ok ? r.manifest_reason : r.chain.reason}});
  }));
}

}  // namespace herald::crisis
