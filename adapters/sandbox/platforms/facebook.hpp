#pragma once
// Facebook Graph API emulator (Pages): OAuth dialog, tokens, page feed, comments, webhooks; and the
// Marketing API's read side (ad accounts, campaigns, ad sets, ads, insights: facebook_ads.cpp).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sandbox/platform.hpp"
#include "adapters/sandbox/platforms/facebook_ads_catalog.hpp"
#include "adapters/sandbox/platforms/graph_fields.hpp"

namespace herald::sandbox {

class FacebookPlatform final : public Platform {
 public:
  explicit FacebookPlatform(Context& ctx);
  GenerateResult generate(const GenerateRequest& request) override;
  void on_webhook_registered(const std::string& url) override;

  // POST /_sandbox/facebook/ad-accounts: a generated ad account for the handle's user (the account is created if
  // the handle is new). Ads are spread ads_per_adset to an ad set, adsets_per_campaign to a campaign; the account
  // has delivered for `days` days up to today (its first day is today - days + 1) and keeps delivering as the
  // clock moves. Nothing per ad or per day is stored: entities and insights are functions of (account, index, day).
  struct AdAccountRequest {
    std::string handle;
    std::int64_t ads = 1000;
    std::string currency = "USD";
    std::int64_t days = 365;
    std::int64_t ads_per_adset = 10;
    std::int64_t adsets_per_campaign = 10;
    std::string name;  // empty: "<display name> Ads <n>"
  };
  nlohmann::json create_ad_account(const AdAccountRequest& request);
  // What an ad account is made of (nothing else is kept: see facebook_ads_catalog.hpp).
  using AdAccount = facebook_ads::AdAccount;
  // GET /_sandbox/facebook/ad-accounts?handle=: the handle's ad accounts (the automatic one first), as the control
  // API shows them; null for a handle the sandbox does not know.
  [[nodiscard]] nlohmann::json ad_accounts_json(const std::string& handle) const;

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

  // The Marketing API (facebook_ads.cpp).
  void add_ads_routes();
  [[nodiscard]] AdAccount automatic_ad_account(const Account& owner) const;
  [[nodiscard]] std::vector<AdAccount> ad_accounts_of(const Account& owner) const;
  [[nodiscard]] std::optional<AdAccount> find_ad_account(const std::string& node_id) const;
  [[nodiscard]] nlohmann::json ad_account_control_json(const AdAccount& a, const Account& owner) const;
  Caller require_ads_token(const http::Request& req);
  AdAccount require_ad_account(const http::Request& req, const Caller& c);
  http::Response ad_account_node(http::Request& req);
  http::Response my_ad_accounts(http::Request& req);
  http::Response ad_objects(http::Request& req, int level);
  http::Response ad_insights(http::Request& req);

  mutable std::mutex ads_mutex_;
  std::vector<AdAccount> created_ad_accounts_;  // POST /_sandbox/facebook/ad-accounts, in creation order
};

}  // namespace herald::sandbox
