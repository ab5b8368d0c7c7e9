#include "services/publishing/freeze_preview.hpp"

#include <algorithm>

namespace herald::publishing {

contracts::HeldPreview FreezePreview::preview(const contracts::FreezeScopeRef& scope, std::int64_t now_ms,
                                              int limit) {
  return pool_.transact([&](pqxx::work& tx) {
    contracts::HeldPreview out;
    for (const auto& r : tx.exec_prepared("pub_freeze_preview_counts", scope.org_id, scope.kind, scope.value, now_ms)) {
      auto kind = r[0].as<std::string>();
      contracts::HeldCount c{r[1].as<std::string>(), r[2].as<std::int64_t>()};
      if (kind == "brand") out.by_brand.push_back(std::move(c));
      else if (kind == "platform") out.by_platform.push_back(std::move(c));
      else if (kind == "account") out.by_account.push_back(std::move(c));
      else if (kind == "hour") out.by_hour.push_back(std::move(c));
      else if (kind == "total") out.total = c.count;
      else if (kind == "next_72h") out.next_72h = c.count;
      else if (kind == "exempt") out.exempt = c.count;
    }
    auto by_count = [](const contracts::HeldCount& a, const contracts::HeldCount& b) {
      return a.count != b.count ? a.count > b.count : a.key < b.key;
    };
    std::sort(out.by_brand.begin(), out.by_brand.end(), by_count);
    std::sort(out.by_platform.begin(), out.by_platform.end(), by_count);
    std::sort(out.by_account.begin(), out.by_account.end(), by_count);
    std::sort(out.by_hour.begin(), out.by_hour.end(),
              [](const contracts::HeldCount& a, const contracts::HeldCount& b) { return a.key < b.key; });
    if (limit > 0) {
      for (const auto& r : tx.exec_prepared("pub_freeze_preview_items", scope.org_id, scope.kind, scope.value, limit)) {
        out.items.push_back(contracts::HeldItem{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                                                r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<std::string>(),
                                                r[6].as<std::string>(), r[7].as<std::int64_t>()});
      }
    }
    return out;
  });
}

}  // namespace herald::publishing
