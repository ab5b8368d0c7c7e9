#pragma once
// Where and how to reach one Redis server, and the URL form used in configuration.
#include <chrono>
#include <string>
#include <string_view>

namespace herald::core::redis {

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // empty: no AUTH
  int db = 0;            // SELECTed after every (re)connect when non-zero
  std::chrono::milliseconds connect_timeout{1000};
  // Applies to every command (socket send/receive timeout). Zero means no timeout: avoid.
  std::chrono::milliseconds command_timeout{2000};
};

// Parses `redis://[[user]:password@]host[:port][/db]`.
// - The password may be percent-encoded (%40 for '@', ...); an unencoded '@' or ':' in it is
//   tolerated because the userinfo ends at the last '@'.
// - The only user name accepted is "default" (or none): Options has no ACL user.
// - The host may be an IPv6 literal in brackets: redis://[::1]:6379/0.
// - Timeouts keep their defaults. TLS (rediss://) and query parameters are rejected.
// Throws std::invalid_argument; the message never contains the password or the URL itself.
[[nodiscard]] Options parse_url(std::string_view url);

// `redis://host:port/db`, with `:***@` in place of the password when there is one: for logs.
[[nodiscard]] std::string redacted_url(const Options& options);

// `host:port` (IPv6 in brackets), for error messages.
[[nodiscard]] std::string endpoint(const Options& options);

}  // namespace herald::core::redis
