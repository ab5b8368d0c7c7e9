#include "services/accounts/domain/vault.hpp"

#include <nlohmann/json.hpp>

namespace herald::accounts {
namespace {

std::string associated_data(const std::string& account_id, const std::string& platform) {
  return "herald.account_token.v1|" + account_id + "|" + platform;
}

}  // namespace

std::string Vault::seal(const std::string& account_id, const std::string& platform,
                        const adapters::TokenSet& t) const {
  nlohmann::json j = {{"access_token", t.access_token},
                      {"refresh_token", t.refresh_token},
                      {"expires_at", t.expires_at ? nlohmann::json(*t.expires_at) : nlohmann::json(nullptr)},
                      {"scopes", t.scopes},
                      {"platform_account_id", t.platform_account_id}};
  return keys_.seal(j.dump(), associated_data(account_id, platform));
}

adapters::TokenSet Vault::open(const std::string& account_id, const std::string& platform,
                               const std::string& sealed) const {
  auto j = nlohmann::json::parse(keys_.open(sealed, associated_data(account_id, platform)));
  adapters::TokenSet t;
  t.access_token = j.value("access_token", "");
  t.refresh_token = j.value("refresh_token", "");
  if (j.contains("expires_at") && j["expires_at"].is_number_integer()) t.expires_at = j["expires_at"].get<std::int64_t>();
  if (j.contains("scopes") && j["scopes"].is_array()) t.scopes = j["scopes"].get<std::vector<std::string>>();
  t.platform_account_id = j.value("platform_account_id", "");
  return t;
}

std::string Vault::seal_text(const std::string& purpose, const std::string& text) const {
  return keys_.seal(text, "herald.accounts." + purpose);
}

std::string Vault::open_text(const std::string& purpose, const std::string& sealed) const {
  return keys_.open(sealed, "herald.accounts." + purpose);
}

}  // namespace herald::accounts
