// Live updates across processes: two `herald` processes on one database and one Redis, as two
// gateways behind a load balancer. A freeze set through one is pushed, within a second, to a
// browser connected to the other (through the Redis live stream), and only to those allowed to
// see the brand; a lift made through the other is pushed back the same way.
#include <chrono>

#include "tests/integration/accounts_helpers.hpp"
#include "tests/integration/stream_client.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

TEST(LiveAcrossProcesses, AFreezeSetThroughOneGatewayReachesBrowsersOnTheOtherWithinASecond) {
  HeraldProcess first;
  HeraldOptions o;
  o.database_url = first.database_url();
  o.admin_email = first.admin_email();
  o.admin_password = first.admin_password();
  o.env["HERALD_SECURITY_MASTER_KEY_FILE"] = (first.dir() / "master.key").string();
  o.env["HERALD_REDIS_KEY_PREFIX"] = "t" + first.database_name();  // one key space, as one deployment
  o.env["HERALD_PROCESS_RUN"] = "none";                             // the API only, like a gateway pod
  HeraldProcess second(o);

  Http admin = admin_client(first);
  const std::string brand_id = json_id(create_brand(admin, unique_slug("live")));
  const std::string other_brand = json_id(create_brand(admin, unique_slug("live-other")));
  const std::string commander = unique_email("cmd"), commander_b = unique_email("cmd-b");
  const std::string planner = unique_email("planner"), outsider = unique_email("outsider");
  for (const auto& [email, brand, role] : {std::tuple{commander, brand_id, "crisis_commander"},
                                           std::tuple{commander_b, brand_id, "crisis_commander"},
                                           std::tuple{planner, brand_id, "content_planner"},
                                           std::tuple{outsider, other_brand, "content_planner"}}) {
    auto user = json_id(create_user(admin, email));
    ASSERT_EQ(admin.put("/api/v1/brands/" + brand + "/members/" + user, {{"role", role}}).status, 200);
  }
  Http on_second = login_as(second, planner);
  Http outsider_on_second = login_as(second, outsider);
  StreamClient stream(second.port(), "herald_session=" + on_second.cookie("herald_session").value_or(""));
  StreamClient outsider_stream(second.port(),
                               "herald_session=" + outsider_on_second.cookie("herald_session").value_or(""));

  Http cmd = login_as(first, commander);
  const nlohmann::json scope = {{"kind", "brand"}, {"value", brand_id}};
  const auto sent = std::chrono::steady_clock::now();
  auto set = cmd.post("/api/v1/crisis/freezes", {{"scope", scope}, {"reason", "live across processes"}});
  ASSERT_EQ(set.status, 201) << set.body;
  const std::string freeze_id = set.json["freeze"]["id"];
  auto pushed = stream.next_of_type("crisis.freeze", 1000ms);
  ASSERT_TRUE(pushed.has_value()) << "no crisis.freeze on the other process's /api/v1/stream within 1 s";
  std::cout << "[live] freeze set on one process, pushed by the other after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent).count()
            << " ms (including the POST)" << std::endl;
  EXPECT_EQ((*pushed)["freeze"]["id"], freeze_id);

  // Lifted by a second commander through the second process: pushed there at once, and the
  // first process's clients hear it through Redis.
  Http cmd_on_first_stream = login_as(first, commander);
  StreamClient first_stream(first.port(),
                            "herald_session=" + cmd_on_first_stream.cookie("herald_session").value_or(""));
  ASSERT_EQ(cmd.post("/api/v1/crisis/freezes/" + freeze_id + "/lift-request", {{"reason", "over"}}).status, 200);
  Http cmd_b = login_as(second, commander_b);
  auto lifted = cmd_b.post("/api/v1/crisis/freezes/" + freeze_id + "/lift");
  ASSERT_EQ(lifted.status, 200) << lifted.body;
  auto lift = first_stream.next_of_type("crisis.lift", 1000ms);
  ASSERT_TRUE(lift.has_value()) << "the lift made on the second process never reached the first's stream";
  EXPECT_EQ((*lift)["freeze"]["id"], freeze_id);
  EXPECT_FALSE((*lift)["freeze"]["lifted"].is_null());

  // A planner of another brand heard nothing of this brand's freeze on either process.
  EXPECT_FALSE(outsider_stream.next_of_type("crisis.freeze", 300ms).has_value());
}

}  // namespace
}  // namespace herald::testing
