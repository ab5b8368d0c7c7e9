#pragma once
// Douyin Open Platform emulator (open.douyin.com): 账号授权 OAuth (platform/oauth/connect, oauth/access_token,
// refresh_token, renew_refresh_token, client_token, userinfo), video and image posting (upload -> create),
// the video list and data, comments and replies, and the webhooks (verify_webhook, X-Douyin-Signature).
// Errors are HTTP 200 with {"data":{"error_code","description"},"extra":{...}}.
#include <map>
#include <mutex>
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

class DouyinPlatform final : public Platform {
 public:
  explicit DouyinPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  struct Upload {
    std::string id;
    std::string owner_id;
    bool video = false;
  };

  [[nodiscard]] nlohmann::json extra(std::int64_t code, const std::string& description) const;
  [[noreturn]] void fail(const http::Request& req, std::int64_t code, const std::string& description);
  [[noreturn]] void oauth_fail(const http::Request& req, std::int64_t code, const std::string& description);
  http::Response ok(const http::Request& req, nlohmann::json data) const;
  // The account of the access-token header (or access_token parameter); open_id must name it.
  Account require_user(const http::Request& req, bool open_id_required = true);

  http::Response access_token(http::Request& req);
  http::Response refresh_token(http::Request& req, bool renew);
  http::Response client_token(http::Request& req);
  http::Response userinfo(http::Request& req);
  http::Response upload(http::Request& req, bool video);
  http::Response create(http::Request& req, bool video);
  http::Response delete_video(http::Request& req);
  http::Response list_videos(http::Request& req);
  http::Response video_data(http::Request& req);
  http::Response list_comments(http::Request& req, bool replies);
  http::Response reply(http::Request& req);
  http::Response top_comment(http::Request& req);

  [[nodiscard]] nlohmann::json video_json(const Item& it) const;
  [[nodiscard]] nlohmann::json comment_json(const Item& it) const;
  void deliver(const std::string& event, const Account& from, const Account& to, const nlohmann::json& content,
               int index, const GenerateRequest& r);

  mutable std::mutex mutex_;
  std::map<std::string, Upload> uploads_;
};

}  // namespace herald::sandbox
