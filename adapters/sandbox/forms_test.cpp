#include "adapters/sandbox/forms.hpp"

#include <gtest/gtest.h>

#include "adapters/sandbox/options.hpp"
#include "services/core/http/problem.hpp"

namespace herald::sandbox {
namespace {

core::http::Request request(const std::string& content_type, const std::string& body, const std::string& query = "") {
  core::http::Request req;
  req.raw.method(core::http::beast_http::verb::post);
  if (!content_type.empty()) req.raw.set("Content-Type", content_type);
  req.raw.body() = body;
  req.query = core::http::parse_query(query);
  return req;
}

TEST(Params, FormArraysRailsStyle) {
  auto p = Params::from_request(request("application/x-www-form-urlencoded",
                                        "status=hello+world&media_ids[]=1&media_ids[]=2&poll[options][0]=a"));
  EXPECT_EQ(p.get("status"), "hello world");
  EXPECT_EQ(p.list("media_ids"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(p.list("poll[options]"), (std::vector<std::string>{"a"}));
  EXPECT_FALSE(p.get("missing"));
}

TEST(Params, JsonBodyWinsOverQuery) {
  auto p = Params::from_request(request("application/json; charset=utf-8",
                                        R"({"status":"from body","media_ids":["7","8"],"sensitive":true})",
                                        "status=from+query&limit=5"));
  EXPECT_EQ(p.get("status"), "from body");
  EXPECT_EQ(p.list("media_ids"), (std::vector<std::string>{"7", "8"}));
  EXPECT_EQ(p.get_bool("sensitive"), true);
  EXPECT_EQ(p.get("limit"), "5");
  EXPECT_THROW(Params::from_request(request("application/json", "{nope")), core::http::HttpError);
}

TEST(Params, MultipartFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\na dot\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\"\r\nContent-Type: image/png\r\n\r\n"
      "\x89PNG\r\n\x1a\n\r\n--XyZ--\r\n";
  auto p = Params::from_request(request("multipart/form-data; boundary=XyZ", body));
  EXPECT_EQ(p.get("description"), "a dot");
  const FormPart* f = p.file("file");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->filename, "dot.png");
  EXPECT_EQ(f->content_type, "image/png");
  EXPECT_EQ(f->data, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_THROW(parse_multipart(body, "multipart/form-data"), core::http::HttpError);  // no boundary
}

TEST(Auth, BearerAndBasic) {
  auto req = request("", "");
  req.raw.set("Authorization", "Bearer abc.def");
  EXPECT_EQ(bearer_token(req), "abc.def");
  EXPECT_FALSE(basic_auth(req));
  req.raw.set("Authorization", "Basic aGVyYWxkLXg6c2FuZGJveC1zZWNyZXQ=");  // herald-x:sandbox-secret
  auto basic = basic_auth(req);
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->first, "herald-x");
  EXPECT_EQ(basic->second, "sandbox-secret");
  EXPECT_FALSE(bearer_token(req));
  req.raw.set("Authorization", "Basic !!!");
  EXPECT_FALSE(basic_auth(req));
}

TEST(Options, ParsesTheContract) {
  auto o = parse_options({"--seed", "7", "--listen", "127.0.0.1", "--port-file", "/tmp/p.json", "--token-ttl=60",
                          "--client-secret", "s3", "--port-base", "18000"});
  EXPECT_EQ(o.config.seed, 7u);
  EXPECT_EQ(o.port_file, "/tmp/p.json");
  EXPECT_EQ(o.config.token_ttl, std::chrono::seconds(60));
  EXPECT_EQ(o.config.client_secret, "s3");
  EXPECT_EQ(o.port_base, 18000);
  auto d = parse_options({});
  EXPECT_EQ(d.config.client_secret, "sandbox-secret");
  EXPECT_EQ(d.config.token_ttl, std::chrono::seconds(3600));
  EXPECT_FALSE(d.port_base);
  EXPECT_THROW((void)parse_options({"--seed"}), UsageError);
  EXPECT_THROW((void)parse_options({"--token-ttl", "0"}), UsageError);
  EXPECT_THROW((void)parse_options({"--bogus"}), UsageError);
}

}  // namespace
}  // namespace herald::sandbox
