#pragma once
// The control API on the control port (JSON; errors are problem+json; never in the request log):
//   GET    /_sandbox/healthz
//   GET    /_sandbox/platforms                     the port map (as in the port file)
//   GET    /_sandbox/media/{name}                  sample media to publish with (samples.hpp)
//   GET    /_sandbox/requests?platform=&since_seq=  DELETE /_sandbox/requests
//   POST   /_sandbox/faults  GET /_sandbox/faults  DELETE /_sandbox/faults  DELETE /_sandbox/faults/{id}
//   POST   /_sandbox/accounts/revoke {platform, handle}
//   GET    /_sandbox/state?platform=&handle=
//   POST   /_sandbox/webhooks {platform, url}      GET /_sandbox/webhooks (targets, recent deliveries)
//   POST   /_sandbox/generate {platform, handle, kind, count, rate_per_s?, delivery}
//   POST   /_sandbox/facebook/ad-accounts {handle, ads?, currency?, days?, ads_per_adset?, adsets_per_campaign?,
//          name?}                                 GET /_sandbox/facebook/ad-accounts?handle=  (Marketing API data)
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/sandbox/context.hpp"
#include "adapters/sandbox/platform.hpp"
#include "services/core/http/router.hpp"

namespace herald::sandbox {

using PlatformMap = std::map<std::string, Platform*>;

// `ports` returns the port map document when asked (it is known only once every port is bound).
void add_control_routes(core::http::Router& router, Context& ctx, const PlatformMap& platforms,
                        std::function<nlohmann::json()> ports);

}  // namespace herald::sandbox
