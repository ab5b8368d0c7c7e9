#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "services/core/http/problem.hpp"

namespace herald::core::http {
namespace {

using beast_http::verb;

// A handler that is never run: the tests look at which route matched, by its pattern.
Handler unused() {
  return [](Request& req) -> boost::asio::awaitable<Response> {
    co_return empty_response(req, 204);
  };
}

struct Matched {
  Router::Match match;
  Request req;
  [[nodiscard]] std::string pattern() const {
    return match.route == nullptr ? "<none>" : match.route->pattern;
  }
};

Matched match(const Router& router, verb method, const std::string& path) {
  Matched m;
  m.match = router.match(method, path, m.req);
  return m;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrderOfRegistration) {
  Router router;
  router.add(verb::get, "/api/v1/posts/{id}", unused());
  router.add(verb::get, "/api/v1/posts/drafts", unused());

  auto literal = match(router, verb::get, "/api/v1/posts/drafts");
  EXPECT_EQ(literal.pattern(), "/api/v1/posts/drafts");
  EXPECT_TRUE(literal.req.params.empty());

  auto param = match(router, verb::get, "/api/v1/posts/42");
  EXPECT_EQ(param.pattern(), "/api/v1/posts/{id}");
  EXPECT_EQ(param.req.param("id"), "42");
}

TEST(Router, ParameterBeatsWildcard) {
  Router router;
  router.add(verb::get, "/files/*", unused());
  router.add(verb::get, "/files/{name}", unused());

  EXPECT_EQ(match(router, verb::get, "/files/logo.png").pattern(), "/files/{name}");
  EXPECT_EQ(match(router, verb::get, "/files/img/logo.png").pattern(), "/files/*");
}

TEST(Router, SeveralParametersAreCapturedAndPercentDecoded) {
  Router router;
  router.add(verb::get, "/brands/{brand}/members/{member}", unused());

  auto m = match(router, verb::get, "/brands/caf%C3%A9%20bar/members/a+b%2Fc");
  ASSERT_EQ(m.pattern(), "/brands/{brand}/members/{member}");
  EXPECT_EQ(m.req.param("brand"), "caf\xC3\xA9 bar");
  // In a path '+' is a literal plus, and an encoded slash stays inside the segment.
  EXPECT_EQ(m.req.param("member"), "a+b/c");
  EXPECT_THROW((void)m.req.param("nope"), std::logic_error);
}

TEST(Router, BadEscapeInAParameterIsA400) {
  Router router;
  router.add(verb::get, "/posts/{id}", unused());
  Request req;
  try {
    (void)router.match(verb::get, "/posts/%zz", req);
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(Router, SegmentCountMustMatchExactlyWithoutWildcard) {
  Router router;
  router.add(verb::get, "/posts/{id}", unused());

  EXPECT_EQ(match(router, verb::get, "/posts").match.route, nullptr);
  EXPECT_EQ(match(router, verb::get, "/posts/1/comments").match.route, nullptr);
  // Empty segments (double or trailing slashes) are ignored.
  EXPECT_EQ(match(router, verb::get, "/posts/1/").pattern(), "/posts/{id}");
  EXPECT_EQ(match(router, verb::get, "//posts//1").pattern(), "/posts/{id}");
}

TEST(Router, OtherMethodOnAKnownPathListsTheAllowedMethods) {
  Router router;
  router.add(verb::get, "/posts/{id}", unused());
  router.add(verb::delete_, "/posts/{id}", unused());
  router.add(verb::patch, "/posts/{id}", unused());
  router.add(verb::post, "/posts", unused());

  auto m = match(router, verb::put, "/posts/7");
  EXPECT_EQ(m.match.route, nullptr);
  EXPECT_TRUE(m.match.path_known);
  EXPECT_EQ(sorted(m.match.allowed), (std::vector<std::string>{"DELETE", "GET", "PATCH"}));
  EXPECT_TRUE(m.req.params.empty());
}

TEST(Router, AllowedMethodsAreListedOnceAndIncludeTheMatchedOne) {
  Router router;
  router.add(verb::get, "/posts/{id}", unused());
  router.add(verb::get, "/posts/latest", unused());
  router.add(verb::post, "/posts/latest", unused());

  auto m = match(router, verb::get, "/posts/latest");
  EXPECT_EQ(m.pattern(), "/posts/latest");
  EXPECT_EQ(sorted(m.match.allowed), (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, WildcardMatchesAnyRestIncludingNothing) {
  Router router;
  router.add(verb::get, "/static/*", unused());

  EXPECT_EQ(match(router, verb::get, "/static/app.js").pattern(), "/static/*");
  EXPECT_EQ(match(router, verb::get, "/static/css/deep/site.css").pattern(), "/static/*");
  EXPECT_EQ(match(router, verb::get, "/static").pattern(), "/static/*");
  EXPECT_EQ(match(router, verb::get, "/other/app.js").match.route, nullptr);
}

TEST(Router, WildcardDoesNotMakeAPathKnownForOtherMethods) {
  Router router;
  router.add(verb::get, "/*", unused());  // an SPA fallback
  router.add(verb::post, "/api/v1/posts", unused());

  auto unknown = match(router, verb::post, "/api/v1/nothing-here");
  EXPECT_EQ(unknown.match.route, nullptr);
  EXPECT_FALSE(unknown.match.path_known);  // 404, not 405 "allowed: GET"
  EXPECT_TRUE(unknown.match.allowed.empty());

  // A literal route still makes its path known for other methods.
  auto known = match(router, verb::delete_, "/api/v1/posts");
  EXPECT_TRUE(known.match.path_known);
  EXPECT_EQ(known.match.allowed, (std::vector<std::string>{"POST"}));

  // And GET on anything falls back to the wildcard.
  EXPECT_EQ(match(router, verb::get, "/api/v1/nothing-here").pattern(), "/*");
}

TEST(Router, UnknownPathMatchesNothing) {
  Router router;
  router.add(verb::get, "/health", unused());

  auto m = match(router, verb::get, "/healthz");
  EXPECT_EQ(m.match.route, nullptr);
  EXPECT_FALSE(m.match.path_known);
  EXPECT_TRUE(m.match.allowed.empty());
  EXPECT_EQ(match(Router{}, verb::get, "/").match.route, nullptr);
}

}  // namespace
}  // namespace herald::core::http
