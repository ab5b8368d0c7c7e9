#include "services/inbox/privacy.hpp"

#include <set>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/uuid.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

void Privacy::check_manage(const iam::Principal& p, const std::string& brand_id) {
  if (!core::is_uuid(brand_id) || !p.can(perm::kBrandRead, brand_id)) http::not_found("no such brand");
  if (!p.can(perm::kBrandManage, brand_id)) http::forbidden("the brand's privacy settings need brand.manage");
}

json Privacy::retention(const iam::Principal& p, const std::string& brand_id) {
  check_manage(p, brand_id);
  return pg_.transact([&](pqxx::work& tx) {
    auto rows = tx.exec_prepared("inbox_retention_get", brand_id);
    json out{{"brand_id", brand_id}};
    if (rows.empty()) {
      out.update({{"keep_days", nullptr}, {"last_purge_at", nullptr}, {"purged_total", 0}, {"updated_by", nullptr},
                  {"updated_at", nullptr}});
      return out;
    }
    const auto& r = rows[0];
    out.update({{"keep_days", r[0].as<int>()},
                {"last_purge_at", r[1].is_null() ? json(nullptr) : json(r[1].as<std::string>())},
                {"purged_total", r[2].as<long long>()},
                {"updated_by", r[3].as<std::string>()},
                {"updated_at", r[4].as<std::string>()}});
    return out;
  });
}

json Privacy::set_retention(const iam::Principal& p, const std::string& brand_id, std::optional<int> keep_days) {
  check_manage(p, brand_id);
  if (keep_days && (*keep_days < 1 || *keep_days > 3650)) {
    http::invalid_field("keep_days", "must be from 1 to 3650 days, or null to keep messages until deleted");
  }
  pg_.transact([&](pqxx::work& tx) {
    if (keep_days) {
      tx.exec_prepared("inbox_retention_put", brand_id, p.org_id, *keep_days, p.label());
    } else {
      tx.exec_prepared("inbox_retention_delete", brand_id, p.org_id);
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.retention", "brand", brand_id, brand_id,
                            {{"keep_days", keep_days ? json(*keep_days) : json(nullptr)}}});
  });
  return retention(p, brand_id);
}

Privacy::PurgeResult Privacy::purge(int per_brand) {
  PurgeResult out;
  auto policies = pg_.transact([&](pqxx::work& tx) {
    std::vector<std::pair<std::string, int>> v;
    for (const auto& r : tx.exec_prepared("inbox_retention_all")) v.emplace_back(r[0].as<std::string>(), r[1].as<int>());
    return v;
  });
  for (const auto& [brand, days] : policies) {
    pg_.transact([&](pqxx::work& tx) {
      auto r = tx.exec_prepared1("inbox_retention_purge", brand, days, per_brand);
      out.messages += r[0].as<long long>();
      out.threads += r[1].as<long long>();
    });
  }
  return out;
}

json Privacy::export_person(const iam::Principal& p, const std::string& platform, const std::string& author_id) {
  if (platform.empty() || platform.size() > 40) http::invalid_field("platform", "is required");
  if (author_id.empty() || author_id.size() > 200) http::invalid_field("author_id", "is required: the person's id on the platform");
  std::vector<std::string> brands;
  if (p.is_admin) {
    for (const auto& b : identity_.brands(p.org_id)) brands.push_back(b.id);
  } else {
    brands = p.brands_with(perm::kBrandManage);
  }
  if (brands.empty()) http::forbidden("exporting a person's data needs brand.manage on a brand");
  return pg_.transact([&](pqxx::work& tx) {
    auto ids = core::pg::text_array(brands);
    json items = json::array(), replies = json::array();
    std::set<std::string> handles, names;
    for (const auto& r : tx.exec_prepared("inbox_person_items", p.org_id, platform, author_id, ids)) {
      auto item = json::parse(r[0].as<std::string>());
      if (!item["author"]["handle"].get<std::string>().empty()) handles.insert(item["author"]["handle"].get<std::string>());
      if (!item["author"]["name"].get<std::string>().empty()) names.insert(item["author"]["name"].get<std::string>());
      items.push_back(std::move(item));
    }
    for (const auto& r : tx.exec_prepared("inbox_person_replies", p.org_id, platform, author_id, ids)) {
      replies.push_back(json::parse(r[0].as<std::string>()));
    }
    identity_.append_audit(tx, iam::Actor::of(p),
                           {"inbox.person_export", "person", platform + ":" + author_id, "",
                            {{"messages", items.size()}, {"replies", replies.size()}}});
    return json{{"person", {{"platform", platform}, {"author_id", author_id}, {"handles", handles}, {"names", names}}},
                {"brands_searched", brands},
                {"messages", items},
                {"replies", replies}};
  });
}

}  // namespace herald::inbox
