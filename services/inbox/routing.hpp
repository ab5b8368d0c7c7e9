#pragma once
// Routing and the on-duty rota (F5, issue #6 "Work"): a brand's rules for new threads
// (domain/routing.hpp) and who is on duty (available, within their hours). Inbox::ingest asks
// route_new() for the assignees of the threads a delivery opens, in its own transaction; round
// robin locks the brand's rota rows so two deliveries take turns one after the other.
//
// Reading needs inbox.read on the brand; rules and other people's rota rows need inbox.assign;
// anyone who answers the brand's inbox (inbox.reply) sets their own rota row ("I'm on duty").
// Only members who may answer the brand's inbox (and the thread's account) are given threads.
// All calls are blocking.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/contracts/iam/identity.hpp"
#include "services/core/pg/pool.hpp"
#include "services/inbox/domain/routing.hpp"

namespace herald::inbox {

struct DutyChange {
  bool available = true;
  std::optional<nlohmann::json> hours;  // nullopt or null: whenever available
};

// What route_new needs, read before the ingest transaction (IAM is another module's tables).
struct RoutingPlan {
  RoutingConfig config;
  std::vector<iam::MemberInfo> members;  // those who may answer the brand's inbox
};

struct NewThread {
  std::int64_t id = 0;
  RouteInput input;
};

class Routing {
 public:
  Routing(core::pg::Pool& pg, iam::Identity& identity);

  nlohmann::json get(const iam::Principal& p, const std::string& brand_id);
  nlohmann::json put(const iam::Principal& p, const std::string& brand_id, const nlohmann::json& doc,
                     std::optional<int> version);
  nlohmann::json rota(const iam::Principal& p, const std::string& brand_id);
  nlohmann::json put_duty(const iam::Principal& p, const std::string& brand_id, const std::string& user_id,
                          const DutyChange& change);
  void remove_duty(const iam::Principal& p, const std::string& brand_id, const std::string& user_id);

  // The brand's routing, when it has any (one short read), with the members it may use.
  std::optional<RoutingPlan> plan(const std::string& org_id, const std::string& brand_id);
  // Assigns the new threads in `tx` as the plan says; returns thread id -> user id.
  std::map<std::int64_t, std::string> route_new(pqxx::work& tx, const std::string& brand_id, const RoutingPlan& plan,
                                                const std::vector<NewThread>& threads,
                                                std::chrono::system_clock::time_point now);

 private:
  std::vector<iam::MemberInfo> answering_members(const std::string& org_id, const std::string& brand_id);
  void check_brand(const iam::Principal& p, const std::string& brand_id);

  core::pg::Pool& pg_;
  iam::Identity& identity_;
};

}  // namespace herald::inbox
