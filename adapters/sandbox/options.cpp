#include "adapters/sandbox/options.hpp"

#include "adapters/sandbox/util.hpp"

namespace herald::sandbox {

const char* usage() {
  return "usage: herald-sandbox [--seed N] [--listen 127.0.0.1] [--port-file PATH] [--token-ttl SECONDS]\n"
         "                      [--client-secret S] [--port-base N]\n"
         "Emulates the platforms' APIs on loopback, one port per platform plus a control port.\n"
         "Ports are picked free unless --port-base N: control = N, mastodon = N+1, x = N+2, bluesky = N+3,\n"
         "facebook = N+4, instagram = N+5, linkedin = N+6, weibo = N+7, wechat = N+8, douyin = N+9.\n"
         "When every port is bound, the port map is printed on stdout (and written to --port-file\n"
         "atomically) as {\"control\":URL,\"platforms\":{name:URL,...}}.\n";
}

SandboxOptions parse_options(const std::vector<std::string>& args) {
  SandboxOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      continue;
    }
    std::string name = a;
    std::string value;
    bool inline_value = false;
    if (auto eq = a.find('='); starts_with(a, "--") && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    auto next = [&]() -> std::string {
      if (inline_value) return value;
      if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
      return args[++i];
    };
    auto number = [&](std::uint64_t max) {
      std::string v = next();
      std::uint64_t n = 0;
      if (!parse_u64(v, n) || n > max) throw UsageError(name + " must be an integer from 0 to " + std::to_string(max));
      return n;
    };
    if (name == "--seed") {
      o.config.seed = number(UINT64_MAX);
    } else if (name == "--listen") {
      o.listen = next();
      if (o.listen.empty()) throw UsageError("--listen needs an address");
    } else if (name == "--port-file") {
      o.port_file = next();
      if (o.port_file.empty()) throw UsageError("--port-file needs a path");
    } else if (name == "--token-ttl") {
      auto ttl = number(10ULL * 365 * 24 * 3600);
      if (ttl == 0) throw UsageError("--token-ttl must be at least 1 second");
      o.config.token_ttl = std::chrono::seconds(ttl);
    } else if (name == "--client-secret") {
      o.config.client_secret = next();
      if (o.config.client_secret.empty()) throw UsageError("--client-secret must not be empty");
    } else if (name == "--port-base") {
      auto base = number(65535 - 16);
      if (base == 0) throw UsageError("--port-base must be a port number (1-65519)");
      o.port_base = static_cast<std::uint16_t>(base);
    } else {
      throw UsageError("unknown option " + a);
    }
  }
  return o;
}

}  // namespace herald::sandbox
