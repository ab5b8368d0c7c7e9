#pragma once
// Facebook Graph API emulator (Pages): OAuth dialog, tokens, page feed, comments, webhooks.
#include <string>
#include <vector>

#include "adapters/sandbox/platform.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"

namespace herald::sandbox {

class FacebookPlatform final : public Platform {
 public:
  explicit FacebookPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

 protected:
  void add_routes() override;
  http::Response error_response(const http::Request& req, int status, const std::string& message) override;
  http::Response rate_limit_response(const http::Request& req) override;
  void decorate(const http::Request& req, http::Response& res, const std::string& route) override;
  Account account_for_handle(const std::string& handle) override;

 private:
  struct Caller {
    Account page;  // the page the token acts for (user tokens: the user's page)
    bool page_token = false;
  };
  [[noreturn]] void graph_error(const http::Request& req, int status, const std::string& message,
                                const std::string& type, int code, int subcode = 0);
  Caller require_token(const http::Request& req);
  void check_version(const http::Request& req);

  http::Response access_token(http::Request& req);
  http::Response node(http::Request& req);
  http::Response delete_node(http::Request& req);
  http::Response update_node(http::Request& req);
  http::Response feed(http::Request& req);
  http::Response publish(http::Request& req);
  http::Response comments(http::Request& req);
  http::Response add_comment(http::Request& req);
  http::Response send_message(http::Request& req);

  http::Response conversations(http::Request& req);
  std::vector<FieldSpec> fields_of(const http::Request& req, const std::string& defaults);
  [[nodiscard]] nlohmann::json post_json(const Item& it, const std::vector<FieldSpec>& fields) const;
  [[nodiscard]] std::string user_id_of(const Account& page) const;
  void deliver(const std::string& page_id, const nlohmann::json& entry_part, int index, const GenerateRequest& r);
};

}  // namespace herald::sandbox
