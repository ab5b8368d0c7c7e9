#pragma once
// Publishing's answer to the crisis module's "what would this freeze hold?"
// (contracts/publishing/freeze_preview.hpp), from post_targets and posts.
#include "services/contracts/publishing/freeze_preview.hpp"
#include "services/core/pg/pool.hpp"

namespace herald::publishing {

class FreezePreview final : public contracts::FreezePreviewSource {
 public:
  explicit FreezePreview(core::pg::Pool& pool) : pool_(pool) {}
  contracts::HeldPreview preview(const contracts::FreezeScopeRef& scope, std::int64_t now_ms, int limit) override;

 private:
  core::pg::Pool& pool_;
};

}  // namespace herald::publishing
