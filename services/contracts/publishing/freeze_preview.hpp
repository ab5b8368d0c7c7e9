#pragma once
// What publishing tells the crisis module about a freeze's reach (DESIGN.md section 5: "a preview
// of what is now held: counts by brand, platform, account, and the next 72 h"). The crisis module
// never reads publishing's tables; it asks through this interface, which publishing implements
// (services/publishing/freeze_preview.cpp) and the composition root hands over.
#include <cstdint>
#include <string>
#include <vector>

namespace herald::contracts {

// One freeze scope of an organization, in the freezes table's spelling: kind is all, brand,
// platform, account, campaign or tag; value is "" for all, else the id, platform name or tag.
struct FreezeScopeRef {
  std::string org_id;
  std::string kind;
  std::string value;
};

struct HeldCount {
  std::string key;  // a brand id, platform name, account id, or an hour "2026-12-01T18:00:00Z"
  std::int64_t count = 0;
};

struct HeldItem {
  std::string target_id, post_id, brand_id, account_id, platform, title, state;
  std::int64_t due_ms = 0;  // the planned slot
};

struct HeldPreview {
  std::int64_t total = 0;      // every target the scope holds (SCHEDULED or DISPATCHED, not exempt)
  std::int64_t next_72h = 0;   // of those, due within 72 hours of now (or overdue)
  std::vector<HeldCount> by_brand, by_platform, by_account;
  std::vector<HeldCount> by_hour;  // the next 72 hours, hour by hour (only hours with work)
  std::vector<HeldItem> items;     // the soonest `limit` targets, by slot
  std::int64_t exempt = 0;         // approved crisis statements in scope: they still go out
};

class FreezePreviewSource {
 public:
  virtual ~FreezePreviewSource() = default;
  // Blocking (call from the blocking pool). Work that is due, not yet sent, in the scope.
  virtual HeldPreview preview(const FreezeScopeRef& scope, std::int64_t now_ms, int limit) = 0;
};

}  // namespace herald::contracts
