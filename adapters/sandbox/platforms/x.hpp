#pragma once
// X (Twitter) API v2 emulator, with OAuth 2.0 (PKCE) at X's real paths.
#include <string>

#include "adapters/sandbox/platform.hpp"

namespace herald::sandbox {

class XPlatform final : public Platform {
 public:
  explicit XPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  Account require_user(const http::Request& req);
  [[noreturn]] void problem(const http::Request& req, int status, const std::string& title, const std::string& detail,
                            const std::string& type = "about:blank");

  http::Response token(http::Request& req);
  http::Response revoke(http::Request& req);
  http::Response create_tweet(http::Request& req);
  http::Response delete_tweet(http::Request& req);
  http::Response lookup_tweets(http::Request& req, const std::vector<std::string>& ids, bool single);
  http::Response timeline(http::Request& req, const std::function<bool(const Item&)>& keep);
  http::Response search(http::Request& req);
  http::Response hide_reply(http::Request& req);
  // POST /2/media/upload (one shot), initialize/append/finalize (chunked), GET ?command=STATUS, metadata.
  http::Response media_upload(http::Request& req, const std::string& step);
  http::Response send_dm(http::Request& req, const std::string& conversation_id, const std::string& participant_id);
  http::Response dm_events(http::Request& req, const std::function<bool(const Item&)>& keep);

  [[nodiscard]] nlohmann::json user_json(const Account& a, const std::string& fields) const;
  [[nodiscard]] nlohmann::json tweet_json(const Item& it, const std::string& fields) const;
  [[nodiscard]] nlohmann::json tweet_v1_json(const Item& it) const;  // webhooks (Account Activity API)
  // data + includes for a list of tweets, honouring tweet.fields, user.fields and expansions.
  [[nodiscard]] nlohmann::json tweets_document(const http::Request& req, const std::vector<Item>& tweets) const;
  [[nodiscard]] bool visible(const Item& it) const;
  std::vector<std::string> resolve_mentions(const std::string& text) const;
};

}  // namespace herald::sandbox
