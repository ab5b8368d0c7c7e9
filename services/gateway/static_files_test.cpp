#include "services/gateway/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace herald::gateway {
namespace {

TEST(StaticFiles, PagesCarryTheContentSecurityPolicy) {
  auto root = std::filesystem::path(::testing::TempDir()) / "herald_static_files_test";
  std::filesystem::create_directories(root);
  std::ofstream(root / "index.html") << "<!doctype html><title>Herald</title>";
  StaticFiles files(root.string(), "https: http://127.0.0.1:*");
  core::http::Request req;
  req.raw.method(boost::beast::http::verb::get);
  req.raw.target("/calendar");
  req.path = "/calendar";
  auto res = files.serve(req);
  EXPECT_EQ(res.body(), "<!doctype html><title>Herald</title>");
  const std::string csp(res["Content-Security-Policy"]);
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("img-src 'self' data: https: http://127.0.0.1:*;"), std::string::npos) << csp;
  EXPECT_NE(csp.find("font-src 'self' data:"), std::string::npos) << csp;
  EXPECT_EQ(content_security_policy(""),
            "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'");
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace herald::gateway
