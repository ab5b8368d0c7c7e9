#include "services/core/redis/client.hpp"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "services/core/redis/reply_conversion.hpp"

namespace herald::core::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count() < 0 ? 0 : timeout.count();
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms % 1000) * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(void* reply) const noexcept { detail::free_reply(reply); }
};
using ReplyPtr = std::unique_ptr<void, ReplyDeleter>;

const redisReply& as_reply(const ReplyPtr& reply) { return *static_cast<const redisReply*>(reply.get()); }

// An idle connection has nothing to read: readability (EOF, reset, stray bytes) or an error
// means the server is gone or the stream is out of step, so it must not carry a new command.
bool idle_connection_is_broken(int fd) {
  pollfd p{};
  p.fd = fd;
  p.events = POLLIN;
  int rc = 0;
  do {
    rc = ::poll(&p, 1, 0);
  } while (rc < 0 && errno == EINTR);
  return rc != 0;
}

// argv/argvlen arrays pointing into the caller's strings (no copies).
class ArgvView {
 public:
  template <typename Range>
  explicit ArgvView(const Range& args) {
    if (args.size() == 0) {
      throw std::invalid_argument("redis: empty command");
    }
    if (args.size() > static_cast<std::size_t>(INT_MAX)) {
      throw std::invalid_argument("redis: too many arguments");
    }
    pointers_.reserve(args.size());
    lengths_.reserve(args.size());
    for (const auto& arg : args) {
      pointers_.push_back(arg.data());
      lengths_.push_back(arg.size());
    }
  }
  [[nodiscard]] int argc() const { return static_cast<int>(pointers_.size()); }
  [[nodiscard]] const char** argv() { return pointers_.data(); }
  [[nodiscard]] const std::size_t* lengths() const { return lengths_.data(); }

 private:
  std::vector<const char*> pointers_;
  std::vector<std::size_t> lengths_;
};

Error::Kind classify(const redisContext& context, int saved_errno) {
  if (context.err == REDIS_ERR_EOF) {
    return Error::Kind::kClosed;
  }
  if (context.err == REDIS_ERR_IO &&
      (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ||
       std::strcmp(context.errstr, std::strerror(EAGAIN)) == 0)) {
    return Error::Kind::kTimeout;
  }
  return Error::Kind::kIo;
}

}  // namespace

void Client::ContextDeleter::operator()(redisContext* context) const noexcept {
  if (context != nullptr) {
    redisFree(context);
  }
}

Client::Client(Options options, ErrorHandler on_error)
    : options_(std::move(options)), on_error_(std::move(on_error)), command_timeout_(options_.command_timeout) {}

Client::~Client() = default;
Client::Client(Client&& other) noexcept = default;
Client& Client::operator=(Client&& other) noexcept = default;

Reply Client::command(const std::vector<std::string>& argv) {
  ArgvView view(argv);
  return execute(view.argc(), view.argv(), view.lengths());
}

Reply Client::command(std::initializer_list<std::string_view> argv) {
  ArgvView view(argv);
  return execute(view.argc(), view.argv(), view.lengths());
}

Reply Client::checked(const std::vector<std::string>& argv) {
  Reply reply = command(argv);
  if (reply.is_error()) {
    throw ReplyError("redis " + argv.front() + ": " + reply.str());
  }
  return reply;
}

Reply Client::checked(std::initializer_list<std::string_view> argv) {
  Reply reply = command(argv);
  if (reply.is_error()) {
    throw ReplyError("redis " + std::string(*argv.begin()) + ": " + reply.str());
  }
  return reply;
}

std::vector<Reply> Client::pipeline(const std::vector<std::vector<std::string>>& commands) {
  std::vector<Reply> replies;
  if (commands.empty()) {
    return replies;
  }
  std::vector<ArgvView> views;
  views.reserve(commands.size());
  for (const auto& argv : commands) {
    views.emplace_back(argv);  // validates every command before anything is sent
  }
  ensure_usable();
  redisContext* context = context_.get();
  for (auto& view : views) {
    if (redisAppendCommandArgv(context, view.argc(), view.argv(), view.lengths()) != REDIS_OK) {
      fail_io(*context, errno, "pipeline");
    }
  }
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    errno = 0;
    const int rc = redisGetReply(context, &raw);
    const int saved_errno = errno;
    ReplyPtr reply(raw);
    if (rc != REDIS_OK || reply == nullptr) {
      fail_io(*context, saved_errno, "pipeline");
    }
    replies.push_back(detail::convert_reply(as_reply(reply)));
  }
  return replies;
}

void Client::ping() {
  const Reply reply = checked({"PING"});
  if (!reply.is_status() || reply.str() != "PONG") {
    throw ReplyError("redis PING: unexpected reply " + reply.describe());
  }
}

void Client::connect() {
  ensure_usable();
}

void Client::disconnect() noexcept { context_.reset(); }

void Client::set_command_timeout(std::chrono::milliseconds timeout) noexcept {
  command_timeout_ = timeout;
  if (context_ != nullptr && redisSetTimeout(context_.get(), to_timeval(timeout)) != REDIS_OK) {
    disconnect();
  }
}

Reply Client::execute(int argc, const char** argv, const std::size_t* lengths) {
  ensure_usable();
  redisContext* context = context_.get();
  errno = 0;
  ReplyPtr reply(redisCommandArgv(context, argc, argv, lengths));
  const int saved_errno = errno;
  if (reply == nullptr) {
    fail_io(*context, saved_errno, std::string_view(argv[0], lengths[0]));
  }
  return detail::convert_reply(as_reply(reply));
}

void Client::ensure_usable() {
  if (context_ != nullptr && idle_connection_is_broken(context_->fd)) {
    disconnect();
  }
  if (context_ == nullptr) {
    establish();
  }
}

void Client::establish() {
  const std::string where = "redis " + endpoint(options_);
  redisContext* raw = options_.connect_timeout.count() > 0
                          ? redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                    to_timeval(options_.connect_timeout))
                          : redisConnect(options_.host.c_str(), options_.port);
  if (raw == nullptr) {
    fail(Error::Kind::kConnect, where + ": cannot allocate a connection");
  }
  ContextPtr context(raw);
  if (context->err != 0) {
    fail(Error::Kind::kConnect, where + ": connect failed: " + context->errstr);
  }
  if (redisSetTimeout(context.get(), to_timeval(command_timeout_)) != REDIS_OK) {
    fail(Error::Kind::kConnect, where + ": cannot set the command timeout: " + context->errstr);
  }
  (void)redisEnableKeepAlive(context.get());  // best effort

  const auto handshake = [&](std::initializer_list<std::string_view> args) {
    ArgvView view(args);
    ReplyPtr reply(redisCommandArgv(context.get(), view.argc(), view.argv(), view.lengths()));
    const std::string name(*args.begin());
    if (reply == nullptr) {
      fail(Error::Kind::kConnect, where + ": " + name + " failed: " + context->errstr);
    }
    const Reply converted = detail::convert_reply(as_reply(reply));
    if (converted.is_error()) {
      fail(Error::Kind::kConnect, where + ": " + name + " rejected: " + converted.str());
    }
  };
  if (!options_.password.empty()) {
    handshake({"AUTH", options_.password});
  }
  if (options_.db != 0) {
    handshake({"SELECT", std::to_string(options_.db)});
  }
  context_ = std::move(context);
  ++connections_;
}

void Client::fail_io(const redisContext& context, int saved_errno, std::string_view during) {
  const Error::Kind kind = classify(context, saved_errno);
  std::string message = "redis " + endpoint(options_) + ": " + std::string(during) + " ";
  if (kind == Error::Kind::kTimeout) {
    message += "timed out after " + std::to_string(command_timeout_.count()) + " ms";
  } else if (kind == Error::Kind::kClosed) {
    message += "failed: the server closed the connection";
  } else {
    message += "failed: " + std::string(context.errstr);
  }
  fail(kind, message);  // drops the connection (and with it `context`)
}

void Client::fail(Error::Kind kind, const std::string& message) {
  disconnect();
  std::string text = message;
  // Belt and braces: a server message must never carry the password into logs.
  if (const std::string& secret = options_.password; !secret.empty()) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  Error error(kind, text);
  if (on_error_) {
    on_error_(error);
  }
  throw error;
}

}  // namespace herald::core::redis
