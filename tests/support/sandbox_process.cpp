#include "tests/support/sandbox_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace herald::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sandbox_binary() {
  if (const char* v = std::getenv("HERALD_BIN_DIR"); v != nullptr && *v != '\0') return std::string(v) + "/herald-sandbox";
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return (self.parent_path() / "herald-sandbox").string();
}

int port_of(const std::string& url) {
  auto colon = url.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(url.c_str() + colon + 1);
}

}  // namespace

SandboxProcess::SandboxProcess(SandboxOptions options) {
  std::string tmpl = (fs::temp_directory_path() / "herald-sandbox-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::string exe = sandbox_binary();
  if (::access(exe.c_str(), X_OK) != 0) throw std::runtime_error(exe + " is not an executable (build it first)");
  std::vector<std::string> args = {exe, "--seed", std::to_string(options.seed), "--token-ttl",
                                   std::to_string(options.token_ttl_s), "--port-file", port_file()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out = ::open((dir_ / "output.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(devnull, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(devnull);
  if (pid < 0) throw std::runtime_error("fork failed");
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("herald-sandbox exited during start-up:\n" + output_text());
    }
    auto text = slurp(port_file());
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("control")) {
      addresses_ = j;
      control_port_ = port_of(j["control"].get<std::string>());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("herald-sandbox did not write its port file in time:\n" + output_text());
}

SandboxProcess::~SandboxProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 300; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::error_code ec;
  if (std::getenv("HERALD_TEST_KEEP_FILES") == nullptr) fs::remove_all(dir_, ec);
}

std::string SandboxProcess::platform_url(const std::string& platform) const {
  if (!addresses_.contains("platforms") || !addresses_["platforms"].contains(platform)) return "";
  return addresses_["platforms"][platform].get<std::string>();
}

std::string SandboxProcess::output_text() const { return slurp(dir_ / "output.log"); }

}  // namespace herald::testing
