#include "services/inbox/poller.hpp"

#include <set>

#include "services/contracts/iam/permissions.hpp"
#include "services/core/http/problem.hpp"
#include "services/core/pg/arrays.hpp"
#include "services/core/util/uuid.hpp"
#include "services/inbox/domain/kinds.hpp"

namespace herald::inbox {

namespace http = core::http;
namespace perm = iam::perm;
using nlohmann::json;

namespace {

double seconds(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

Poller::Poller(core::pg::Pool& pg, contracts::AccountDirectory& directory, AdapterFor adapters,
               adapters::Transport& transport, Inbox& inbox, PollerOptions options)
    : pg_(pg),
      directory_(directory),
      adapters_(std::move(adapters)),
      transport_(transport),
      inbox_(inbox),
      options_(options) {}

// New accounts get their rows (due at once), disconnected ones lose theirs. Not on every pass:
// at most once per interval.
void Poller::sync_accounts() {
  auto now = std::chrono::steady_clock::now();
  if (last_sync_ != std::chrono::steady_clock::time_point{} && now - last_sync_ < options_.interval) return;
  last_sync_ = now;
  auto accounts = directory_.connected();
  std::vector<std::string> ids;
  ids.reserve(accounts.size());
  for (const auto& a : accounts) ids.push_back(a.id);
  pg_.transact([&](pqxx::work& tx) {
    std::set<std::string> known;
    for (const auto& r : tx.exec_prepared("inbox_poll_known", core::pg::text_array(ids))) known.insert(r[0].as<std::string>());
    for (const auto& a : accounts) {
      if (known.count(a.id) == 0) tx.exec_prepared("inbox_poll_add", a.id, a.org_id, a.brand_id, a.platform);
    }
    tx.exec_prepared("inbox_poll_gone", core::pg::text_array(ids));
  });
}

int Poller::run_once() {
  sync_accounts();
  struct Claim {
    std::string account, kind, cursor, platform, org;
  };
  auto claims = pg_.transact([&](pqxx::work& tx) {
    std::vector<Claim> out;
    for (const auto& r : tx.exec_prepared("inbox_poll_claim", options_.batch, static_cast<double>(options_.lease.count()))) {
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                     r[4].as<std::string>()});
    }
    return out;
  });
  for (const auto& c : claims) {
    auto done = [&](const std::string& cursor, int seen, int stored, const std::string& error, bool unsupported,
                    double next_s) {
      pg_.transact([&](pqxx::work& tx) {
        tx.exec_prepared("inbox_poll_done", c.account, c.kind, cursor, seen, stored, error, unsupported, next_s);
      });
    };
    auto interval = seconds(options_.interval);
    auto adapter = adapters_(c.platform);
    auto creds = directory_.credentials(c.account);
    auto account = creds ? directory_.account(c.org, c.account) : std::nullopt;
    if (!adapter || !creds || !account) {
      done(c.cursor, 0, 0, !adapter ? c.platform + " is not reachable" : "the account is disconnected", false, interval);
      continue;
    }
    auto page = adapter->fetch_inbound(transport_, *creds, kind_of(c.kind), c.cursor);
    if (!page) {
      const auto& e = page.error();
      bool unsupported = e.code == "unsupported";
      double next = unsupported ? static_cast<double>(options_.unsupported_backoff.count())
                    : e.retry_after ? static_cast<double>(e.retry_after->count())
                                    : interval;
      done(c.cursor, 0, 0, unsupported ? "this platform does not list these through its API" : e.message, unsupported, next);
      continue;
    }
    int stored = 0;
    if (!page->items.empty()) stored = inbox_.ingest(*account, page->items).stored;
    done(page->next_cursor.empty() ? c.cursor : page->next_cursor, static_cast<int>(page->items.size()), stored, "", false,
         interval);
  }
  return static_cast<int>(claims.size());
}

json Poller::state(const iam::Principal& p, const std::optional<std::string>& brand_id) {
  std::optional<std::string> brands;
  if (brand_id) {
    if (!core::is_uuid(*brand_id) || !p.can(perm::kInboxRead, *brand_id)) http::not_found("no such brand");
    brands = core::pg::text_array({*brand_id});
  } else if (!p.is_admin) {
    brands = core::pg::text_array(p.brands_with(perm::kInboxRead));
  }
  return pg_.transact([&](pqxx::work& tx) {
    json items = json::array();
    for (const auto& r : tx.exec_prepared("inbox_poll_list", p.org_id, brands)) {
      items.push_back({{"account_id", r[0].as<std::string>()},
                       {"brand_id", r[1].as<std::string>()},
                       {"platform", r[2].as<std::string>()},
                       {"kind", r[3].as<std::string>()},
                       {"has_cursor", r[4].as<bool>()},
                       {"polls", r[5].as<int>()},
                       {"items_seen", r[6].as<std::int64_t>()},
                       {"items_stored", r[7].as<std::int64_t>()},
                       {"last_polled_at", r[8].is_null() ? json(nullptr) : json(r[8].as<std::string>())},
                       {"next_poll_at", r[9].as<std::string>()},
                       {"last_error", r[10].as<std::string>().empty() ? json(nullptr) : json(r[10].as<std::string>())},
                       {"supported", !r[11].as<bool>()}});
    }
    return json{{"items", items}};
  });
}

}  // namespace herald::inbox
