#pragma once
// Where the real PostgreSQL and Redis for *_pgtest / *_redistest live. scripts/test starts
// throwaway servers and exports these; running such a test without them fails loudly.
#include <string>

namespace herald::testing {

// HERALD_TEST_PG_URL, e.g. postgresql://herald@127.0.0.1:54321/herald_test
std::string pg_url();
// HERALD_TEST_REDIS_URL, e.g. redis://127.0.0.1:63791/0
std::string redis_url();
// A name unique to this process and call, for schemas, stream and key prefixes.
std::string unique_name(const std::string& prefix);

}  // namespace herald::testing
