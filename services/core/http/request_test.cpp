#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/request.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "services/core/http/problem.hpp"

namespace herald::core::http {
namespace {

using nlohmann::json;

int status_of_url_decode(std::string_view s) {
  try {
    (void)url_decode(s, true);
  } catch (const HttpError& e) {
    return e.status();
  }
  return 0;
}

TEST(UrlDecode, DecodesEscapesInBothCases) {
  EXPECT_EQ(url_decode("a%20b%2fc%2Fd", false), "a b/c/d");
  EXPECT_EQ(url_decode("%E4%BD%A0%e5%a5%bd", false), "\xE4\xBD\xA0\xE5\xA5\xBD");  // 你好
  EXPECT_EQ(url_decode("100%25", false), "100%");
  EXPECT_EQ(url_decode("", false), "");
  EXPECT_EQ(url_decode("%41", false), "A");  // an escape that ends the string
}

TEST(UrlDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(url_decode("a+b%2B", true), "a b+");
  EXPECT_EQ(url_decode("a+b%2B", false), "a+b+");
}

TEST(UrlDecode, BadEscapesAreA400) {
  EXPECT_EQ(status_of_url_decode("%zz"), 400);
  EXPECT_EQ(status_of_url_decode("%4g"), 400);
  EXPECT_EQ(status_of_url_decode("abc%"), 400);
  EXPECT_EQ(status_of_url_decode("abc%4"), 400);
  EXPECT_EQ(status_of_url_decode("%%41"), 400);
}

TEST(ParseQuery, DecodesKeysAndValues) {
  auto q = parse_query("q=caf%C3%A9+au+lait&page=2&tag%5B%5D=a%26b");
  EXPECT_EQ(q, (std::map<std::string, std::string>{
                   {"q", "caf\xC3\xA9 au lait"}, {"page", "2"}, {"tag[]", "a&b"}}));
}

TEST(ParseQuery, FlagsWithoutValueEmptyPartsAndRepeats) {
  auto q = parse_query("verbose&&a=1&a=2&empty=&");
  EXPECT_EQ(q, (std::map<std::string, std::string>{{"verbose", ""}, {"a", "2"}, {"empty", ""}}));
  EXPECT_TRUE(parse_query("").empty());
  // Only the first '=' separates the key from the value.
  EXPECT_EQ(parse_query("token=abc==")["token"], "abc==");
}

TEST(ParseQuery, BadEscapeIsA400) {
  try {
    (void)parse_query("a=%G1");
    FAIL() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(Request, HeaderLookupIsCaseInsensitive) {
  Request req;
  req.raw.set("X-Custom-Thing", "value-1");
  req.raw.set(beast_http::field::content_type, "application/json");
  EXPECT_EQ(req.header("x-custom-thing"), "value-1");
  EXPECT_EQ(req.header("X-CUSTOM-THING"), "value-1");
  EXPECT_EQ(req.header("content-type"), "application/json");
  EXPECT_FALSE(req.header("X-Missing").has_value());
}

TEST(Request, CookieAmongSeveral) {
  Request req;
  req.raw.set("cookie", "theme=dark; herald_session=s3ss10n; lang=zh-CN");
  EXPECT_EQ(req.cookie("herald_session"), "s3ss10n");
  EXPECT_EQ(req.cookie("theme"), "dark");
  EXPECT_EQ(req.cookie("lang"), "zh-CN");
  EXPECT_FALSE(req.cookie("missing").has_value());
}

TEST(Request, CookieNameMustMatchExactly) {
  Request req;
  // A cookie whose name merely ends or starts with the wanted one must not be taken for it.
  req.raw.set("Cookie", "xsession=evil;session_old=old;  session=good; token=a=b");
  EXPECT_EQ(req.cookie("session"), "good");
  EXPECT_EQ(req.cookie("token"), "a=b");  // only the first '=' separates name and value
  EXPECT_FALSE(req.cookie("sess").has_value());
}

TEST(Request, CookieWithoutCookieHeader) {
  Request req;
  EXPECT_FALSE(req.cookie("session").has_value());
  req.raw.set("Cookie", "");
  EXPECT_FALSE(req.cookie("session").has_value());
}

TEST(Request, ParamAndQueryParam) {
  Request req;
  req.params["id"] = "42";
  req.query["page"] = "3";
  EXPECT_EQ(req.param("id"), "42");
  EXPECT_THROW((void)req.param("other"), std::logic_error);
  EXPECT_EQ(req.query_param("page"), "3");
  EXPECT_FALSE(req.query_param("size").has_value());
}

TEST(Request, IdParamTakesDigitsOnlyAndNamesWhatWasMalformed) {
  Request req;
  req.params["id"] = "900719925474099";
  EXPECT_EQ(req.id_param("id"), 900719925474099);
  for (const char* bad : {"", "12a", "-1", "1.5", " 1", "1234567890123456789"}) {
    req.params["id"] = bad;
    try {
      (void)req.id_param("id", "thread id");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_NE(std::string(e.what()).find("thread id"), std::string::npos);
    }
  }
}

TEST(Responses, JsonResponseKeepsVersionAndKeepAlive) {
  Request req;
  req.raw.version(10);
  req.raw.keep_alive(false);
  auto res = json_response(req, 201, json{{"id", 7}, {"name", "\xE4\xBD\xA0"}});
  EXPECT_EQ(res.result_int(), 201U);
  EXPECT_EQ(res.version(), 10U);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res[beast_http::field::content_type], "application/json");
  EXPECT_EQ(res[beast_http::field::content_length], std::to_string(res.body().size()));
  EXPECT_EQ(json::parse(res.body()), (json{{"id", 7}, {"name", "\xE4\xBD\xA0"}}));

  Request keep;
  keep.raw.version(11);
  EXPECT_TRUE(json_response(keep, 200, json::object()).keep_alive());
}

TEST(Responses, ProblemResponseCarriesTraceIdInstanceAndExtraFields) {
  Request req;
  req.raw.version(11);
  req.path = "/api/v1/posts";
  req.trace_id = "trace-abc";
  auto res = problem_response(req, 422, "Unprocessable Content", "title: is required",
                              json{{"field", "title"}});
  EXPECT_EQ(res.result_int(), 422U);
  EXPECT_EQ(res[beast_http::field::content_type], "application/problem+json");
  auto doc = json::parse(res.body());
  EXPECT_EQ(doc["status"], 422);
  EXPECT_EQ(doc["title"], "Unprocessable Content");
  EXPECT_EQ(doc["detail"], "title: is required");
  EXPECT_EQ(doc["instance"], "/api/v1/posts");
  EXPECT_EQ(doc["type"], "about:blank");
  EXPECT_EQ(doc["trace_id"], "trace-abc");
  EXPECT_EQ(doc["field"], "title");
}

TEST(Responses, EmptyResponseHasNoBody) {
  Request req;
  req.raw.version(11);
  auto res = empty_response(req, 204);
  EXPECT_EQ(res.result_int(), 204U);
  EXPECT_TRUE(res.body().empty());
}

TEST(ProblemHelpers, ThrowTheirStatus) {
  auto status = [](auto&& f) {
    try {
      f();
    } catch (const HttpError& e) {
      return e.status();
    }
    return 0;
  };
  EXPECT_EQ(status([] { bad_request("x"); }), 400);
  EXPECT_EQ(status([] { unauthorized("x"); }), 401);
  EXPECT_EQ(status([] { forbidden("x"); }), 403);
  EXPECT_EQ(status([] { not_found("x"); }), 404);
  EXPECT_EQ(status([] { conflict("x"); }), 409);
  EXPECT_EQ(status([] { precondition_failed("x"); }), 412);
  try {
    invalid_field("name", "too long");
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.detail(), "name: too long");
    EXPECT_EQ(e.extra(), (json{{"field", "name"}}));
  }
}

}  // namespace
}  // namespace herald::core::http
