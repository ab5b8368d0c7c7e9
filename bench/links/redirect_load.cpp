// bench_links_redirect: the F6 short-link redirect figure of bench/run_links.sh. Not a test.
//
// An open-loop, constant-rate HTTP/1.1 load generator for GET /l/{code} (the public redirect of
// services/campaigns/api/link_routes.cpp). Request i is scheduled at start + i / RATE whatever
// happened to the ones before it, and is timed from that scheduled instant to the end of its
// response, so a stall on the server shows up in the figures instead of slowing the sender
// (no coordinated omission, as in wrk2). Requests go round-robin over the codes, on CONNECTIONS
// keep-alive connections, one request in flight per connection (no pipelining: browsers do not
// pipeline); a request due while every connection is busy waits in a queue, and that wait counts.
// Most requests carry a browser User-Agent, one in ten a crawler's (the redirect's bot verdict
// has work to do); half of the browser ones a Referer.
//
// The first WARMUP_S seconds (default 2) run at the same rate and are not timed; the DURATION_S
// after them are. It runs on one thread (the machine's other cores belong to herald).
// Prints one JSON document: the timed window's sent, completed, errors (a response other than 302,
// or a connection failure), achieved rate and latency percentiles in ms, and, over the whole run
// (warm-up included), the 302s served with how many of them carried a bot User-Agent, which is
// what the click log must hold afterwards. The achieved rate is the timed window's completed
// requests over the time from the window's start to its last response. Exits 1 when a timed
// request failed or went unanswered.
//
// Usage: bench_links_redirect HOST PORT RATE DURATION_S CONNECTIONS CODES_FILE [WARMUP_S]
// CODES_FILE: one code per line. With BENCH_LINKS_TRACE=FILE set it also writes one line per timed
// request to FILE: "scheduled_ms latency_ms status" (scheduled_ms from the timed window's start;
// status 0 for a connection failure), to see when the slow ones happen.
#include <utility>  // before Asio (Boost 1.74 with GCC 12)

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Current browsers as they introduce themselves (desktop and mobile, and the in-app browsers most
// short links are opened in), then crawlers that fetch links to build previews or indexes.
constexpr std::array<std::string_view, 8> kBrowserAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 "
    "Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36 Edg/124.0.2478.67",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36 Weibo (Xiaomi-22081212C__weibo__14.4.1__android__android13)",
};
constexpr std::array<std::string_view, 4> kBotAgents = {
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
};
constexpr std::uint64_t kBotEvery = 10;  // request i is a crawler's when i % 10 == 9
constexpr auto kIoTimeout = std::chrono::seconds(10);
constexpr auto kDrainTimeout = std::chrono::seconds(10);

struct Job {
  std::uint64_t index = 0;
  Clock::time_point scheduled;
  bool timed = false;
};

struct Sample {
  double scheduled_ms = 0, latency_ms = 0;
  unsigned status = 0;
};

struct Totals {
  // The timed window.
  std::uint64_t sent = 0, completed = 0, errors = 0, non_302 = 0, transport_errors = 0;
  std::vector<double> latency_ms;
  std::vector<Sample> trace;  // only with BENCH_LINKS_TRACE
  Clock::time_point last_end;
  // The whole run.
  std::uint64_t served = 0, served_bot = 0, all_errors = 0, reconnects = 0;
  std::size_t max_queue = 0;
};

struct Options {
  std::string host, port;
  double rate = 0;
  double duration_s = 0, warmup_s = 2;
  int connections = 0;
  std::vector<std::string> codes;
  bool trace = false;
};

class Load {
 public:
  Load(asio::io_context& ioc, Options options) : ioc_(ioc), options_(std::move(options)) {
    tcp::resolver resolver(ioc_);
    endpoints_ = resolver.resolve(options_.host, options_.port);
    host_header_ = options_.host + ":" + options_.port;
  }

  // Opens the connections (synchronously, before any timing), then runs the schedule.
  void start() {
    for (int i = 0; i < options_.connections; ++i) {
      auto conn = std::make_unique<Connection>(ioc_);
      conn->stream.connect(endpoints_);
      conn->stream.socket().set_option(tcp::no_delay(true));
      asio::co_spawn(ioc_, serve(*conn), asio::detached);
      connections_.push_back(std::move(conn));
    }
    asio::co_spawn(ioc_, pace(), asio::detached);
  }

  [[nodiscard]] const Totals& totals() const { return totals_; }
  [[nodiscard]] Clock::time_point timed_start() const { return timed_start_; }

 private:
  struct Connection {
    explicit Connection(asio::io_context& ioc) : stream(ioc), wake(ioc) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    asio::steady_timer wake;
    std::optional<Job> job;
  };

  std::string request_for(std::uint64_t index) const {
    const auto& code = options_.codes[index % options_.codes.size()];
    bool bot = index % kBotEvery == kBotEvery - 1;
    std::string r;
    r.reserve(512);
    r += "GET /l/";
    r += code;
    r += " HTTP/1.1\r\nHost: ";
    r += host_header_;
    r += "\r\nUser-Agent: ";
    r += bot ? kBotAgents[(index / kBotEvery) % kBotAgents.size()] : kBrowserAgents[index % kBrowserAgents.size()];
    if (bot) {
      r += "\r\nAccept: */*";
    } else {
      r += "\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
           "\r\nAccept-Language: zh-CN,zh;q=0.9,en;q=0.8";
      if (index % 2 == 0) r += "\r\nReferer: https://weibo.com/";
    }
    r += "\r\n\r\n";
    return r;
  }

  // The schedule: request i is due at start + i / rate. Each wake-up hands out every request that
  // is due by then (a late wake-up does not move the schedule, and the lateness is timed).
  asio::awaitable<void> pace() {
    asio::steady_timer timer(ioc_);
    auto start = Clock::now();
    auto total = static_cast<std::uint64_t>(std::llround(options_.rate * (options_.warmup_s + options_.duration_s)));
    auto warmup = static_cast<std::uint64_t>(std::llround(options_.rate * options_.warmup_s));
    auto due_at = [&](std::uint64_t i) {
      return start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(i) / options_.rate));
    };
    timed_start_ = due_at(warmup);
    std::uint64_t next = 0;
    while (next < total) {
      auto now = Clock::now();
      while (next < total && due_at(next) <= now) {
        dispatch(Job{next, due_at(next), next >= warmup});
        ++next;
      }
      if (next < total) {
        timer.expires_at(due_at(next));
        co_await timer.async_wait(asio::use_awaitable);
      }
    }
    // Wait for the last answers (bounded), then let every connection go.
    auto deadline = Clock::now() + kDrainTimeout;
    while ((!queue_.empty() || idle_.size() < connections_.size()) && Clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(5));
      co_await timer.async_wait(asio::use_awaitable);
    }
    stopping_ = true;
    for (auto* conn : idle_) conn->wake.cancel();
    idle_.clear();
    for (auto& conn : connections_) {
      boost::system::error_code ec;
      conn->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      conn->stream.close();
    }
  }

  void dispatch(Job job) {
    if (job.timed) ++totals_.sent;
    if (idle_.empty()) {
      queue_.push_back(job);
      totals_.max_queue = std::max(totals_.max_queue, queue_.size());
      return;
    }
    auto* conn = idle_.back();
    idle_.pop_back();
    conn->job = job;
    conn->wake.cancel();
  }

  void record(const Job& job, std::optional<unsigned> status) {
    auto end = Clock::now();
    bool ok = status && *status == 302;
    if (ok) {
      ++totals_.served;
      if (job.index % kBotEvery == kBotEvery - 1) ++totals_.served_bot;
    } else {
      ++totals_.all_errors;
    }
    if (!job.timed) return;
    if (options_.trace) {
      using ms = std::chrono::duration<double, std::milli>;
      totals_.trace.push_back(
          {ms(job.scheduled - timed_start_).count(), ms(end - job.scheduled).count(), status.value_or(0)});
    }
    if (!status) {
      ++totals_.errors;
      ++totals_.transport_errors;
      return;
    }
    ++totals_.completed;
    if (!ok) {
      ++totals_.errors;
      ++totals_.non_302;
    }
    totals_.latency_ms.push_back(std::chrono::duration<double, std::milli>(end - job.scheduled).count());
    totals_.last_end = std::max(totals_.last_end, end);
  }

  asio::awaitable<void> serve(Connection& conn) {
    for (;;) {
      if (!queue_.empty()) {
        conn.job = queue_.front();
        queue_.pop_front();
      } else {
        if (stopping_) co_return;
        idle_.push_back(&conn);
        conn.wake.expires_at(Clock::time_point::max());
        boost::system::error_code ignored;
        co_await conn.wake.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        if (!conn.job) co_return;  // stopping
      }
      Job job = *conn.job;
      conn.job.reset();
      auto request = request_for(job.index);
      boost::system::error_code ec;
      conn.stream.expires_after(kIoTimeout);
      co_await asio::async_write(conn.stream, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
      http::response<http::string_body> res;
      if (!ec) co_await http::async_read(conn.stream, conn.buffer, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        record(job, std::nullopt);
        if (stopping_) co_return;
        co_await reconnect(conn);
        continue;
      }
      record(job, res.result_int());
      if (!res.keep_alive()) co_await reconnect(conn);
    }
  }

  asio::awaitable<void> reconnect(Connection& conn) {
    ++totals_.reconnects;
    conn.stream.close();
    conn.buffer.clear();
    for (int attempt = 0; attempt < 50 && !stopping_; ++attempt) {
      boost::system::error_code ec;
      conn.stream.expires_after(kIoTimeout);
      co_await conn.stream.async_connect(endpoints_, asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        conn.stream.socket().set_option(tcp::no_delay(true), ec);
        co_return;
      }
      asio::steady_timer pause(ioc_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::io_context& ioc_;
  Options options_;
  tcp::resolver::results_type endpoints_;
  std::string host_header_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  Clock::time_point timed_start_;
  Totals totals_;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

bool tracing(const char* file) { return file != nullptr && *file != '\0'; }

int usage() {
  std::cerr << "usage: bench_links_redirect HOST PORT RATE DURATION_S CONNECTIONS CODES_FILE [WARMUP_S]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7 || argc > 8) return usage();
  Options options;
  try {
    options.host = argv[1];
    options.port = argv[2];
    options.rate = std::stod(argv[3]);
    options.duration_s = std::stod(argv[4]);
    options.connections = std::stoi(argv[5]);
    if (argc > 7) options.warmup_s = std::stod(argv[7]);
  } catch (const std::exception&) {
    return usage();
  }
  if (options.rate <= 0 || options.duration_s <= 0 || options.warmup_s < 0 || options.connections < 1) return usage();
  {
    std::ifstream in(argv[6]);
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) options.codes.push_back(line);
    }
  }
  if (options.codes.empty()) {
    std::cerr << "bench_links_redirect: no codes in " << argv[6] << "\n";
    return 2;
  }
  const char* trace_file = std::getenv("BENCH_LINKS_TRACE");
  options.trace = tracing(trace_file);
  const double rate = options.rate, duration = options.duration_s, warmup = options.warmup_s;
  const int connections = options.connections;
  const auto code_count = options.codes.size();

  asio::io_context ioc(1);
  std::unique_ptr<Load> load;
  try {
    load = std::make_unique<Load>(ioc, std::move(options));
    load->start();
  } catch (const std::exception& e) {
    std::cerr << "bench_links_redirect: " << e.what() << "\n";
    return 1;
  }
  double cpu_before = cpu_seconds();
  ioc.run();
  double cpu = cpu_seconds() - cpu_before;

  const auto& t = load->totals();
  if (tracing(trace_file)) {
    std::ofstream out(trace_file);
    out.setf(std::ios::fixed);
    out.precision(3);
    for (const auto& sample : t.trace) {
      out << sample.scheduled_ms << ' ' << sample.latency_ms << ' ' << sample.status << '\n';
    }
  }
  auto sorted = t.latency_ms;
  std::sort(sorted.begin(), sorted.end());
  double window_s =
      t.completed > 0 ? std::chrono::duration<double>(t.last_end - load->timed_start()).count() : 0;
  double achieved = window_s > 0 ? static_cast<double>(t.completed) / window_s : 0;
  std::printf(
      "{\"rate\": %.0f, \"duration_s\": %.1f, \"warmup_s\": %.1f, \"connections\": %d, \"codes\": %zu,\n"
      " \"sent\": %llu, \"completed\": %llu, \"errors\": %llu, \"non_302\": %llu, \"transport_errors\": %llu,\n"
      " \"achieved_rate\": %.1f, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"p99_9_ms\": %.3f, "
      "\"max_ms\": %.3f,\n"
      " \"max_queued\": %zu, \"reconnects\": %llu, \"generator_cpu_s\": %.2f,\n"
      " \"served_302_total\": %llu, \"served_302_bot_total\": %llu, \"errors_total\": %llu}\n",
      rate, duration, warmup, connections, code_count, static_cast<unsigned long long>(t.sent),
      static_cast<unsigned long long>(t.completed), static_cast<unsigned long long>(t.errors),
      static_cast<unsigned long long>(t.non_302), static_cast<unsigned long long>(t.transport_errors), achieved,
      percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 99.9),
      sorted.empty() ? 0.0 : sorted.back(), t.max_queue, static_cast<unsigned long long>(t.reconnects), cpu,
      static_cast<unsigned long long>(t.served), static_cast<unsigned long long>(t.served_bot),
      static_cast<unsigned long long>(t.all_errors));
  return t.errors == 0 && t.completed == t.sent ? 0 : 1;
}
