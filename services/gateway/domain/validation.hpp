#pragma once
// Input rules for IAM fields. Each returns an error message ("" when valid) so handlers can
// name the field in a problem+json answer.
#include <string>
#include <string_view>

#include "services/core/util/uuid.hpp"

namespace herald::gateway {

using core::is_uuid;

std::string check_email(std::string_view email);
std::string check_slug(std::string_view slug);
std::string check_timezone(const std::string& iana_zone);
std::string check_password(std::string_view password);
std::string check_account_id(std::string_view id);
// "My Brand!" -> "my-brand"
std::string slugify(std::string_view name);

}  // namespace herald::gateway
