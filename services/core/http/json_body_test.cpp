#include <utility>  // before Asio/Beast with GCC 12 (std::exchange)

#include "services/core/http/json_body.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "services/core/http/problem.hpp"

namespace herald::core::http {
namespace {

using nlohmann::json;

Request json_request(const std::string& body, const std::string& content_type = "application/json") {
  Request req;
  req.raw.method(beast_http::verb::post);
  if (!content_type.empty()) req.raw.set(beast_http::field::content_type, content_type);
  req.raw.body() = body;
  return req;
}

// The HttpError `f` throws (status 0 if it throws none).
HttpError error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return e;
  }
  return HttpError(0, "", "no error");
}

TEST(JsonBody, RequiresAJsonContentType) {
  EXPECT_EQ(error_of([] { JsonBody b(json_request("{}", "")); }).status(), 415);
  EXPECT_EQ(error_of([] { JsonBody b(json_request("{}", "text/plain")); }).status(), 415);
  EXPECT_EQ(error_of([] { JsonBody b(json_request("{}", "application/x-www-form-urlencoded")); })
                .status(),
            415);
  EXPECT_NO_THROW(JsonBody(json_request("{}", "application/json; charset=utf-8")));
}

TEST(JsonBody, MalformedJsonIsA400) {
  auto e = error_of([] { JsonBody b(json_request(R"({"name": "x",})")); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_NE(e.detail().find("malformed JSON"), std::string::npos) << e.detail();
  EXPECT_EQ(error_of([] { JsonBody b(json_request("")); }).status(), 400);
  // Invalid UTF-8 inside a string is malformed too.
  EXPECT_EQ(error_of([] { JsonBody b(json_request("{\"name\":\"\xC3\x28\"}")); }).status(), 400);
}

TEST(JsonBody, BodyMustBeAnObject) {
  for (const char* body : {"[1,2]", "\"text\"", "42", "null", "true"}) {
    auto e = error_of([body] { JsonBody b(json_request(body)); });
    EXPECT_EQ(e.status(), 400) << body;
    EXPECT_NE(e.detail().find("JSON object"), std::string::npos) << body;
  }
  EXPECT_EQ(error_of([] { JsonBody b(json::array(), "settings."); }).status(), 400);
}

TEST(JsonBody, StringLengthsCountCharactersNotBytes) {
  // "你好世界" is 4 characters and 12 bytes.
  JsonBody ok(json_request(R"({"name":"你好世界","bio":"é"})"));
  EXPECT_EQ(ok.required_string("name", 4, 4), "你好世界");
  EXPECT_EQ(ok.optional_string("bio", 1, 1), "é");
  EXPECT_NO_THROW(ok.finish());

  auto too_long = error_of([] {
    JsonBody b(json_request(R"({"name":"你好世界"})"));
    (void)b.required_string("name", 1, 3);
  });
  EXPECT_EQ(too_long.status(), 422);
  EXPECT_EQ(too_long.extra()["field"], "name");
  EXPECT_NE(too_long.detail().find("at most 3"), std::string::npos) << too_long.detail();

  auto too_short = error_of([] {
    JsonBody b(json_request(R"({"name":"你"})"));
    (void)b.required_string("name", 2, 10);
  });
  EXPECT_EQ(too_short.status(), 422);
  EXPECT_NE(too_short.detail().find("at least 2"), std::string::npos) << too_short.detail();
}

TEST(JsonBody, RequiredStringMissingOrNullIs422AndWrongTypeIs400) {
  for (const char* body : {R"({})", R"({"name":null})"}) {
    auto e = error_of([body] {
      JsonBody b(json_request(body));
      (void)b.required_string("name", 0, 10);
    });
    EXPECT_EQ(e.status(), 422) << body;
    EXPECT_EQ(e.detail(), "name: is required");
  }
  auto wrong = error_of([] {
    JsonBody b(json_request(R"({"name":12})"));
    (void)b.required_string("name", 0, 10);
  });
  EXPECT_EQ(wrong.status(), 400);
  EXPECT_EQ(wrong.extra()["field"], "name");
}

TEST(JsonBody, NulCharactersAreRefused) {
  auto e = error_of([] {
    JsonBody b(json_request(R"({"name":"a\u0000b"})"));
    (void)b.required_string("name", 0, 10);
  });
  EXPECT_EQ(e.status(), 422);
  EXPECT_EQ(e.extra()["field"], "name");
  EXPECT_EQ(error_of([] {
              JsonBody b(json_request(R"({"tags":["ok","a\u0000"]})"));
              (void)b.string_array("tags", 5, 10);
            }).status(),
            422);
}

TEST(JsonBody, OptionalStringAbsentOrNullIsEmpty) {
  JsonBody b(json_request(R"({"notes":null})"));
  EXPECT_FALSE(b.optional_string("notes", 1, 10).has_value());
  EXPECT_FALSE(b.optional_string("absent", 1, 10).has_value());
  EXPECT_NO_THROW(b.finish());
}

TEST(JsonBody, IntegersWithRanges) {
  JsonBody b(json_request(R"({"limit":50,"offset":0,"delta":-5})"));
  EXPECT_EQ(b.required_int("limit", 1, 100), 50);
  EXPECT_EQ(b.optional_int("offset", 0, 10), 0);
  EXPECT_EQ(b.optional_int("delta", -10, 10), -5);
  EXPECT_FALSE(b.optional_int("absent", 0, 10).has_value());
  b.finish();

  auto over = error_of([] {
    JsonBody x(json_request(R"({"limit":101})"));
    (void)x.required_int("limit", 1, 100);
  });
  EXPECT_EQ(over.status(), 422);
  EXPECT_EQ(over.extra()["field"], "limit");
  EXPECT_EQ(error_of([] {
              JsonBody x(json_request(R"({"limit":0})"));
              (void)x.required_int("limit", 1, 100);
            }).status(),
            422);
  EXPECT_EQ(error_of([] {
              JsonBody x(json_request(R"({})"));
              (void)x.required_int("limit", 1, 100);
            }).status(),
            422);
  for (const char* body : {R"({"limit":"5"})", R"({"limit":5.5})", R"({"limit":true})"}) {
    EXPECT_EQ(error_of([body] {
                JsonBody x(json_request(body));
                (void)x.required_int("limit", 1, 100);
              }).status(),
              400)
        << body;
  }
}

TEST(JsonBody, IntegerBeyondInt64IsOutOfRangeNotWrappedAround) {
  // 2^64-1 parses as an unsigned integer; read as int64 it must not become -1 and pass the range.
  auto e = error_of([] {
    JsonBody x(json_request(R"({"delta":18446744073709551615})"));
    (void)x.required_int("delta", -10, 10);
  });
  EXPECT_EQ(e.status(), 422);
  EXPECT_EQ(e.extra()["field"], "delta");

  JsonBody max(json_request(R"({"n":9223372036854775807})"));
  EXPECT_EQ(max.required_int("n", 0, std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::int64_t>::max());
}

TEST(JsonBody, Booleans) {
  JsonBody b(json_request(R"({"pinned":true,"draft":false,"hidden":null})"));
  EXPECT_EQ(b.optional_bool("pinned"), true);
  EXPECT_EQ(b.optional_bool("draft"), false);
  EXPECT_FALSE(b.optional_bool("hidden").has_value());
  EXPECT_FALSE(b.optional_bool("absent").has_value());
  b.finish();
  for (const char* body : {R"({"pinned":"true"})", R"({"pinned":1})"}) {
    EXPECT_EQ(error_of([body] {
                JsonBody x(json_request(body));
                (void)x.optional_bool("pinned");
              }).status(),
              400)
        << body;
  }
}

TEST(JsonBody, StringArrays) {
  JsonBody b(json_request(R"({"tags":["新品","sale"],"empty":[]})"));
  EXPECT_EQ(b.string_array("tags", 2, 4), (std::vector<std::string>{"新品", "sale"}));
  EXPECT_TRUE(b.string_array("empty", 2, 4).empty());
  EXPECT_TRUE(b.string_array("absent", 2, 4).empty());
  b.finish();

  auto too_many = error_of([] {
    JsonBody x(json_request(R"({"tags":["a","b","c"]})"));
    (void)x.string_array("tags", 2, 10);
  });
  EXPECT_EQ(too_many.status(), 422);
  EXPECT_EQ(too_many.extra()["field"], "tags");
  // Item length in characters: "新品上市" is 4 characters (12 bytes).
  EXPECT_EQ(error_of([] {
              JsonBody x(json_request(R"({"tags":["新品上市"]})"));
              (void)x.string_array("tags", 5, 3);
            }).status(),
            422);
  EXPECT_NO_THROW({
    JsonBody x(json_request(R"({"tags":["新品上市"]})"));
    (void)x.string_array("tags", 5, 4);
  });
  for (const char* body : {R"({"tags":"a"})", R"({"tags":["a",1]})", R"({"tags":[null]})"}) {
    EXPECT_EQ(error_of([body] {
                JsonBody x(json_request(body));
                (void)x.string_array("tags", 5, 10);
              }).status(),
              400)
        << body;
  }
}

TEST(JsonBody, OptionalStringArrayNullAbsentAndEmptyDiffer) {
  JsonBody b(json_request(R"({"nulled":null,"empty":[],"set":["x"]})"));
  EXPECT_FALSE(b.optional_string_array("nulled", 5, 10).has_value());
  EXPECT_FALSE(b.optional_string_array("absent", 5, 10).has_value());
  auto empty = b.optional_string_array("empty", 5, 10);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(b.optional_string_array("set", 5, 10), (std::vector<std::string>{"x"}));
  EXPECT_NO_THROW(b.finish());  // the null field counts as read
}

TEST(JsonBody, FinishRejectsUnknownFieldsByName) {
  JsonBody b(json_request(R"({"name":"a","nmae":"typo"})"));
  (void)b.required_string("name", 1, 10);
  auto e = error_of([&b] { b.finish(); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.detail(), "unknown field: nmae");
  EXPECT_EQ(e.extra()["field"], "nmae");
}

TEST(JsonBody, FieldReadAsAbsentOrNullStillCountsAsRead) {
  JsonBody b(json_request(R"({"a":null,"b":null,"c":null})"));
  (void)b.optional_string("a", 0, 1);
  (void)b.optional_int("b", 0, 1);
  (void)b.optional_bool("c");
  EXPECT_NO_THROW(b.finish());
}

TEST(JsonBody, NestedDocumentsNameFieldsWithTheirPrefix) {
  JsonBody outer(json_request(R"({"schedule":{"at":"2027-01-01T00:00:00Z","extra":1}})"));
  auto raw = outer.optional_raw("schedule");
  ASSERT_TRUE(raw.has_value());
  outer.finish();

  JsonBody inner(*raw, "schedule.");
  EXPECT_TRUE(inner.has("at"));
  EXPECT_FALSE(inner.has("tz"));
  EXPECT_EQ(inner.required_string("at", 1, 40), "2027-01-01T00:00:00Z");
  auto e = error_of([&inner] { inner.finish(); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.extra()["field"], "schedule.extra");

  auto wrong = error_of([] {
    JsonBody x(json{{"n", "1"}}, "limits.");
    (void)x.optional_int("n", 0, 5);
  });
  EXPECT_EQ(wrong.status(), 400);
  EXPECT_EQ(wrong.extra()["field"], "limits.n");
}

}  // namespace
}  // namespace herald::core::http
