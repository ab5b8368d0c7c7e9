#include "services/gateway/domain/validation.hpp"

#include <date/tz.h>

#include <cctype>

namespace herald::gateway {

std::string check_email(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return "must be a valid email address";
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return "must be a valid email address";
  }
  auto domain = email.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return "must be a valid email address";
  for (char c : email) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return "must be a valid email address";
    }
  }
  return "";
}

std::string check_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64) return "must be 1 to 64 characters";
  for (char c : slug) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return "may contain only a-z, 0-9 and '-'";
    }
  }
  return "";
}

std::string check_timezone(const std::string& iana_zone) {
  try {
    (void)date::locate_zone(iana_zone);
    return "";
  } catch (const std::exception&) {
    return "must be an IANA time zone such as Asia/Shanghai or Europe/Berlin";
  }
}

std::string check_password(std::string_view password) {
  if (password.size() < 12) return "must be at least 12 characters";
  if (password.size() > 256) return "must be at most 256 characters";
  return "";
}

std::string check_account_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return "account ids must be 1 to 64 characters";
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return "account ids may contain only letters, digits, '-' and '_'";
    }
  }
  return "";
}

std::string slugify(std::string_view name) {
  std::string out;
  bool dash = false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 128) {
      out.push_back(static_cast<char>(std::tolower(u)));
      dash = false;
    } else if (!out.empty() && !dash) {
      out.push_back('-');
      dash = true;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 64) out.resize(64);
  return out;
}

}  // namespace herald::gateway
