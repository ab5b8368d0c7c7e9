#pragma once
// LinkedIn emulator: OAuth 2.0 (www.linkedin.com/oauth/v2/...), OpenID userinfo, and the versioned REST
// API (api.linkedin.com/rest: Posts, Images, Videos, socialActions comments, organizations) on one port.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

class LinkedinPlatform final : public Platform {
 public:
  explicit LinkedinPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  [[nodiscard]] bool supports_webhooks() const override { return false; }

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  // An image or video being uploaded (initializeUpload -> PUT -> finalizeUpload for videos).
  struct Upload {
    std::string urn;
    std::string owner;  // the owner URN
    bool video = false;
    std::size_t size = 0;      // videos: fileSizeBytes
    std::size_t received = 0;  // bytes PUT so far
    std::vector<std::string> etags;
    bool finalized = false;
  };

  [[noreturn]] void fail(const http::Request& req, int status, const std::string& code, const std::string& message,
                         int service_code = 0);
  [[noreturn]] void input_error(const http::Request& req, const std::string& field, const std::string& code,
                                const std::string& description);
  Account require_member(const http::Request& req);
  Account require_rest(const http::Request& req);  // the member, after the LinkedIn-Version check
  void check_version(const http::Request& req);
  [[nodiscard]] std::string urn_of(const Account& a) const;
  // The account an author URN names, if the member may act as it (themself or their organization).
  std::optional<Account> author_for(const Account& member, const std::string& urn);
  Account organization_of(const Account& member);

  http::Response token(http::Request& req);
  http::Response revoke(http::Request& req);
  http::Response introspect(http::Request& req);
  http::Response create_post(http::Request& req);
  http::Response get_post(http::Request& req);
  http::Response update_post(http::Request& req);
  http::Response delete_post(http::Request& req);
  http::Response find_posts(http::Request& req);
  http::Response initialize_upload(http::Request& req, bool video);
  http::Response finalize_upload(http::Request& req);
  http::Response put_upload(http::Request& req);
  http::Response media_status(http::Request& req, bool video);
  http::Response list_comments(http::Request& req);
  http::Response create_comment(http::Request& req);
  http::Response delete_comment(http::Request& req);
  http::Response social_summary(http::Request& req);
  http::Response organization(http::Request& req);
  http::Response share_statistics(http::Request& req);

  [[nodiscard]] nlohmann::json post_json(const Item& it) const;
  [[nodiscard]] nlohmann::json comment_json(const Item& it) const;
  [[nodiscard]] std::vector<Item> comments_on(const std::string& target) const;
  [[nodiscard]] std::vector<Item> posts_of(const std::string& author_id) const;

  mutable std::mutex mutex_;
  std::map<std::string, Upload> uploads_;           // by URN
  std::map<std::string, std::string> upload_urls_;  // upload token -> URN
};

}  // namespace herald::sandbox
