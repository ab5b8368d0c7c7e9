#pragma once
#include <string>
#include <utility>
#include <vector>

namespace herald::core::metrics {

// Label name/value pairs of one metric child. Order does not matter: the registry sorts them by
// name, so {a=1,b=2} and {b=2,a=1} are the same child.
using Labels = std::vector<std::pair<std::string, std::string>>;

}  // namespace herald::core::metrics
