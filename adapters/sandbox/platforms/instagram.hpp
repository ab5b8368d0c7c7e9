#pragma once
// Instagram Graph API emulator (Instagram API with Facebook Login, graph.facebook.com paths): the
// Facebook Login dialog and tokens, /me/accounts with the Page's instagram_business_account, content
// publishing (container -> status_code -> media_publish), media, comments and replies, tags, mentions,
// insights, the publishing limit and the `instagram` webhooks.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/sandbox/platform.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"

namespace herald::sandbox {

class InstagramPlatform final : public Platform {
 public:
  explicit InstagramPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  // A media container (POST /{ig-user-id}/media): not a post until media_publish.
  struct Container {
    std::string id;
    std::string owner_id;
    std::string media_type;  // IMAGE, VIDEO, REELS, CAROUSEL, STORIES
    std::string url;         // image_url or video_url
    std::string caption;
    std::vector<std::string> children;
    bool carousel_item = false;
    TimePoint created_at{};
    std::string published_id;  // the media it became
  };
  struct Caller {
    Account user;  // the Instagram professional account the token acts for
    bool page_token = false;
  };

  [[noreturn]] void graph_error(const http::Request& req, int status, const std::string& message,
                                const std::string& type, int code, int subcode = 0);
  [[noreturn]] void missing(const http::Request& req, const std::string& id, const std::string& verb);
  Caller require_token(const http::Request& req);
  void check_version(const http::Request& req);
  std::vector<FieldSpec> fields_of(const http::Request& req, const std::string& defaults);
  Caller require_owner(const http::Request& req);  // the token's account is the {id} of the path

  http::Response access_token(http::Request& req);
  http::Response me_accounts(http::Request& req);
  http::Response node(http::Request& req);
  http::Response update_node(http::Request& req);
  http::Response delete_node(http::Request& req);
  http::Response create_container(http::Request& req);
  http::Response media_publish(http::Request& req);
  http::Response list_media(http::Request& req, bool tagged);
  http::Response comments(http::Request& req);
  http::Response add_comment(http::Request& req, bool reply);
  http::Response reply_to_mention(http::Request& req);
  http::Response insights(http::Request& req);
  http::Response publishing_limit(http::Request& req);

  [[nodiscard]] std::string page_id_of(const Account& user) const;
  [[nodiscard]] std::string status_code(const Container& c) const;
  [[nodiscard]] nlohmann::json user_json(const Account& a, const std::vector<FieldSpec>& fields) const;
  [[nodiscard]] nlohmann::json media_json(const Item& it, const std::vector<FieldSpec>& fields,
                                          const std::string& viewer_id) const;
  [[nodiscard]] nlohmann::json comment_json(const Item& it, const std::vector<FieldSpec>& fields,
                                            const std::string& viewer_id) const;
  [[nodiscard]] std::vector<Item> comments_of(const std::string& parent_id, const std::string& viewer_id) const;
  [[nodiscard]] nlohmann::json paged(const http::Request& req, const std::vector<nlohmann::json>& all) const;
  Item seed_media(const Account& user);
  void deliver(const std::string& ig_user_id, const nlohmann::json& entry_part, int index, const GenerateRequest& r);

  mutable std::mutex mutex_;
  std::map<std::string, Container> containers_;
};

}  // namespace herald::sandbox
