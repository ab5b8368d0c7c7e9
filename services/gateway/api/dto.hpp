#pragma once
// JSON shapes of IAM resources (documented in services/gateway/openapi.yaml).
#include <nlohmann/json.hpp>

#include "services/gateway/store/iam_store.hpp"

namespace herald::gateway {

nlohmann::json to_json(const UserRecord& u);
nlohmann::json to_json(const BrandRecord& b);
nlohmann::json to_json(const MemberRecord& m);
nlohmann::json to_json(const ApiTokenRecord& t);
nlohmann::json to_json(const AuditEntry& e);
nlohmann::json principal_json(const Principal& p);

}  // namespace herald::gateway
