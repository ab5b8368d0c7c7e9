#pragma once
// Sina Weibo open API v2 emulator (api.weibo.com): OAuth 2.0 (oauth2/*), statuses/share.json and the
// statuses, comments, users and account endpoints Herald uses, with Weibo's error_code bodies.
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

// "Wed Oct 24 23:49:17 +0800 2012": Weibo's created_at, in Beijing time.
[[nodiscard]] std::string weibo_time(TimePoint t);
// Weibo's length rule: a non-ASCII character counts 1, two ASCII characters count 1 (rounded up).
[[nodiscard]] std::size_t weibo_length(const std::string& utf8);
// Whether the text carries an http(s) URL on one of the sandbox app's 安全域名 (safe domains): example.com,
// example.org, herald.example (and their subdomains), localhost and 127.0.0.1.
[[nodiscard]] bool has_safe_domain_url(const std::string& text);

class WeiboPlatform final : public Platform {
 public:
  explicit WeiboPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  [[nodiscard]] bool supports_webhooks() const override { return false; }

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  [[noreturn]] void fail(const http::Request& req, int status, int code, const std::string& error);
  Account require_user(const http::Request& req);

  http::Response access_token(http::Request& req);
  http::Response token_info(http::Request& req);
  http::Response revoke(http::Request& req);
  http::Response share(http::Request& req);
  http::Response destroy_status(http::Request& req);
  http::Response show_status(http::Request& req);
  http::Response timeline(http::Request& req, bool mentions);
  http::Response counts(http::Request& req);
  http::Response comments_to_me(http::Request& req);
  http::Response comments_show(http::Request& req);
  http::Response create_comment(http::Request& req, bool reply);
  http::Response destroy_comment(http::Request& req);
  http::Response show_user(http::Request& req);
  http::Response rate_limit_status(http::Request& req);

  [[nodiscard]] nlohmann::json user_json(const Account& a) const;
  [[nodiscard]] nlohmann::json status_json(const Item& it) const;
  [[nodiscard]] nlohmann::json comment_json(const Item& it, bool with_status) const;
  [[nodiscard]] bool is_comment(const Item& it) const { return !it.in_reply_to_id.empty(); }
  Item visible_status(const http::Request& req, const std::string& id);
};

}  // namespace herald::sandbox
