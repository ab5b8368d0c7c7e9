#pragma once
// Mastodon emulator (REST API v1/v2 and Doorkeeper OAuth at their real paths).
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

class MastodonPlatform final : public Platform {
 public:
  explicit MastodonPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  // The account of the request's bearer token, or the platform's 401 (thrown).
  Account require_user(const http::Request& req);
  [[noreturn]] void fail(const http::Request& req, int status, const std::string& message);

  http::Response token(http::Request& req);
  http::Response revoke(http::Request& req);
  http::Response create_status(http::Request& req, Call& call);
  http::Response edit_status(http::Request& req);
  http::Response account_statuses(http::Request& req);
  http::Response notifications(http::Request& req);
  http::Response conversations(http::Request& req);
  http::Response upload_media(http::Request& req);
  http::Response context(http::Request& req);

  [[nodiscard]] nlohmann::json account_json(const Account& a) const;
  [[nodiscard]] nlohmann::json status_json(const Item& it) const;
  [[nodiscard]] nlohmann::json media_json(const Media& m) const;
  [[nodiscard]] bool visible_to(const Item& it, const std::string& viewer_id) const;
  Item visible_status(const http::Request& req, const std::string& id, const std::string& viewer_id);
  std::vector<std::string> resolve_mentions(const std::string& text) const;
  void notify_mentions(const Item& it);
};

}  // namespace herald::sandbox
