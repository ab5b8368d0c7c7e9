#include "tests/support/test_env.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace herald::testing {
namespace {
std::string required_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run the tests through scripts/test, which starts "
                             "a throwaway PostgreSQL and Redis");
  }
  return v;
}
}  // namespace

std::string pg_url() { return required_env("HERALD_TEST_PG_URL"); }
std::string redis_url() { return required_env("HERALD_TEST_REDIS_URL"); }

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

}  // namespace herald::testing
