#include "herald/adapters/clock.hpp"

#include <thread>

namespace herald::adapters {

Clock system_clock() {
  return Clock{[] {
                 return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
               },
               [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }};
}

}  // namespace herald::adapters
