#pragma once
// Bluesky (AT Protocol XRPC) emulator: sessions, records, feeds, notifications, blobs.
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

class BlueskyPlatform final : public Platform {
 public:
  explicit BlueskyPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  [[nodiscard]] bool supports_webhooks() const override { return false; }

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  [[noreturn]] void fail(const http::Request& req, int status, const std::string& error, const std::string& message);
  Account require_session(const http::Request& req);
  http::Response session_document(const http::Request& req, const Account& a, const Token& t);
  http::Response create_record(http::Request& req, Call& call);
  [[nodiscard]] std::string uri_of(const Item& it) const;
  [[nodiscard]] static std::string cid_of(const Item& it);
  [[nodiscard]] nlohmann::json record_of(const Item& it) const;
  [[nodiscard]] nlohmann::json profile_basic(const Account& a) const;
  [[nodiscard]] nlohmann::json post_view(const Item& it) const;
  Account resolve_actor(const http::Request& req, const std::string& actor);
};

}  // namespace herald::sandbox
