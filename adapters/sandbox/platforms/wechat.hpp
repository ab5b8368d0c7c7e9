#pragma once
// WeChat Official Account platform emulator (api.weixin.qq.com): stable_token / token with AppID and
// AppSecret, permanent material and body images, drafts, free publishing (submit -> get -> article), the
// published-article reads, 图文消息留言 comments, customer-service messages and the plaintext XML server
// messages (消息推送) signed with the server-configuration Token. Errors are HTTP 200 {"errcode","errmsg"}.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

// The sandbox's AppIDs: "herald-wechat" is the account "demo_wechat", "herald-wechat-<handle>" the account
// <handle>; nullopt for anything else.
[[nodiscard]] std::optional<std::string> wechat_handle_of_appid(const std::string& appid);
[[nodiscard]] std::string wechat_appid_of_handle(const std::string& handle);
// The plaintext server message for a user's text: <xml><ToUserName>... (CDATA sections split around "]]>").
[[nodiscard]] std::string wechat_text_message_xml(const std::string& to, const std::string& from,
                                                  std::int64_t create_time, const std::string& content,
                                                  const std::string& msg_id);

class WechatPlatform final : public Platform {
 public:
  explicit WechatPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  struct Draft {
    std::string media_id;
    std::string owner_id;
    nlohmann::json articles;  // as given to draft/add (after sanitising)
    TimePoint updated{};
  };
  struct PublishJob {
    std::string publish_id;
    std::string owner_id;
    std::string article_id;
    std::string msg_data_id;
    TimePoint submitted{};
  };

  [[noreturn]] void fail(const http::Request& req, int errcode, const std::string& errmsg);
  Account require_token(const http::Request& req);
  nlohmann::json body_of(const http::Request& req);
  std::string rid(const http::Request& req) const;

  http::Response token(http::Request& req, bool stable);
  http::Response add_material(http::Request& req);
  http::Response upload_image(http::Request& req);
  http::Response add_draft(http::Request& req);
  http::Response get_draft(http::Request& req);
  http::Response delete_draft(http::Request& req);
  http::Response submit(http::Request& req);
  http::Response publish_status(http::Request& req);
  http::Response get_article(http::Request& req);
  http::Response delete_article(http::Request& req);
  http::Response batchget(http::Request& req);
  http::Response comment_switch(http::Request& req, bool open);
  http::Response list_comments(http::Request& req);
  http::Response comment_action(http::Request& req, const std::string& action);
  http::Response send_custom(http::Request& req);

  // The published article a comment call names by msg_data_id and index (88001 otherwise).
  Item article_of(const http::Request& req, const Account& me, const nlohmann::json& body);
  [[nodiscard]] nlohmann::json news_item(const Item& article, bool with_content) const;
  [[nodiscard]] std::string article_url(const std::string& msg_data_id, const std::string& article_id) const;
  Item publish_article(const Account& me, const nlohmann::json& article, const std::string& msg_data_id,
                       const std::string& publish_id, TimePoint when, bool generated);
  void deliver_xml(const Account& me, const std::string& xml, int index, const GenerateRequest& r);

  mutable std::mutex mutex_;
  std::map<std::string, Draft> drafts_;
  std::map<std::string, PublishJob> jobs_;
};

}  // namespace herald::sandbox
