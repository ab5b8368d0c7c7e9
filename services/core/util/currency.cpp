#include "services/core/util/currency.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace herald::core {
namespace {

__extension__ typedef __int128 Int128;  // NOLINT: GCC's 128-bit integer, for exact products of int64 values

struct Currency {
  std::string_view code;
  int digits;
};

// ISO 4217 list one (active currencies and funds), minor units column; sorted by code for binary search.
constexpr std::array<Currency, 167> kCurrencies = {{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2},
    {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2},
    {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
    {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2},
    {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2},
    {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2},
    {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2},
    {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2},
    {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2},
    {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3},
    {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
    {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
    {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2},
    {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0},
    {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2}, {"ZWL", 2},
}};
static_assert(std::is_sorted(kCurrencies.begin(), kCurrencies.end(),
                             [](const Currency& a, const Currency& b) { return a.code < b.code; }));

int digits_or_throw(std::string_view code, const char* field = "currency") {
  auto d = minor_digits(code);
  if (!d) throw std::invalid_argument(std::string(field) + ": unknown currency code \"" + std::string(code) + "\"");
  return *d;
}

constexpr std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// The shortest decimal that reads back as `value` (std::to_chars), as mantissa * 10^exponent.
struct Decimal {
  Int128 mantissa = 0;
  int exponent = 0;
};

Decimal to_decimal(double value) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec != std::errc{}) throw std::logic_error("to_chars failed");
  Decimal d;
  const char* p = buf.data();
  bool fraction = false;
  for (; p != end && *p != 'e'; ++p) {
    if (*p == '.') {
      fraction = true;
      continue;
    }
    d.mantissa = d.mantissa * 10 + (*p - '0');
    if (fraction) --d.exponent;
  }
  if (p != end) {  // "e+05" / "e-07"
    int e = 0;
    std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, e);
    d.exponent += e;
  }
  return d;
}

// n / d rounded half-to-even; d > 0.
Int128 divide_half_even(Int128 n, Int128 d) {
  Int128 q = n / d;
  Int128 r = n % d;  // same sign as n
  Int128 twice = (r < 0 ? -r : r) * 2;
  if (twice > d || (twice == d && q % 2 != 0)) q += (n < 0 ? -1 : 1);
  return q;
}

[[noreturn]] void too_large() { throw std::invalid_argument("amount: too large to convert"); }

}  // namespace

std::optional<int> minor_digits(std::string_view code) {
  if (code.size() != 3) return std::nullopt;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return std::nullopt;
  }
  auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                             [](const Currency& c, std::string_view key) { return c.code < key; });
  if (it == kCurrencies.end() || it->code != code) return std::nullopt;
  return it->digits;
}

void RateTable::set(std::string from, std::string to, double rate) {
  digits_or_throw(from, "from");
  digits_or_throw(to, "to");
  if (from == to) throw std::invalid_argument("to: a currency's rate to itself is always 1");
  if (!std::isfinite(rate) || rate <= 0) {
    throw std::invalid_argument("rate: must be a positive number (" + from + " -> " + to + ")");
  }
  rates_[{std::move(from), std::move(to)}] = rate;
}

std::optional<double> RateTable::leg(const std::string& from, const std::string& to) const {
  if (auto it = rates_.find({from, to}); it != rates_.end()) return it->second;
  if (auto it = rates_.find({to, from}); it != rates_.end()) return 1.0 / it->second;
  return std::nullopt;
}

std::optional<double> RateTable::rate(std::string_view from, std::string_view to) const {
  if (!minor_digits(from) || !minor_digits(to)) return std::nullopt;
  if (from == to) return 1.0;
  const std::string f(from), t(to);
  if (auto r = leg(f, t)) return r;
  std::set<std::string> via;  // sorted: the first common currency is the alphabetically first
  for (const auto& [pair, r] : rates_) {
    via.insert(pair.first);
    via.insert(pair.second);
  }
  for (const auto& c : via) {
    if (c == f || c == t) continue;
    auto a = leg(f, c);
    if (!a) continue;
    if (auto b = leg(c, t)) return *a * *b;
  }
  return std::nullopt;
}

std::optional<std::int64_t> RateTable::convert_minor(std::int64_t amount_minor, std::string_view from,
                                                     std::string_view to) const {
  const int df = digits_or_throw(from, "from");
  const int dt = digits_or_throw(to, "to");
  if (from == to) return amount_minor;
  auto r = rate(from, to);
  if (!r) return std::nullopt;
  // amount_minor / 10^df * rate * 10^dt, with rate = mantissa * 10^exponent, in exact integers.
  const Decimal d = to_decimal(*r);
  Int128 n = 0;
  if (__builtin_mul_overflow(static_cast<Int128>(amount_minor), d.mantissa, &n)) too_large();
  const int k = d.exponent + dt - df;
  Int128 result = 0;
  if (k >= 0) {
    for (int i = 0; i < k; ++i) {
      if (__builtin_mul_overflow(n, static_cast<Int128>(10), &n)) too_large();
    }
    result = n;
  } else if (-k > 38) {
    result = 0;  // |n| < 2^127 < 10^39 / 2: less than half a minor unit
  } else {
    Int128 divisor = 1;
    for (int i = 0; i < -k; ++i) divisor *= 10;
    result = divide_half_even(n, divisor);
  }
  if (result > std::numeric_limits<std::int64_t>::max() || result < std::numeric_limits<std::int64_t>::min()) {
    too_large();
  }
  return static_cast<std::int64_t>(result);
}

std::int64_t parse_major_amount(std::string_view text, std::string_view currency) {
  const int digits = digits_or_throw(currency);
  const std::string quoted = "\"" + std::string(text) + "\"";
  auto malformed = [&]() -> std::invalid_argument {
    return std::invalid_argument("amount: " + quoted + " is not a decimal number like 12.34");
  };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // The magnitude in minor units, accumulated unsigned; 2^63 is allowed only when negative.
  const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t magnitude = 0;
  auto push = [&](int digit) {
    if (magnitude > (limit - static_cast<std::uint64_t>(digit)) / 10) {
      throw std::invalid_argument("amount: " + quoted + " is too large");
    }
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(digit);
  };
  std::size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) push(text[i] - '0');
  int decimals = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++decimals > digits) {
        const std::string allowed = digits == 0 ? "no decimals" : "at most " + std::to_string(digits) + " decimals";
        throw std::invalid_argument("amount: " + std::string(currency) + " amounts have " + allowed + ", got " + quoted);
      }
      push(text[i] - '0');
    }
    if (decimals == 0) throw malformed();  // "1." or "."
  } else if (whole_digits == 0) {
    throw malformed();
  }
  if (i != text.size()) throw malformed();
  for (; decimals < digits; ++decimals) push(0);
  if (negative) return static_cast<std::int64_t>(0 - magnitude);  // two's complement: 2^63 -> INT64_MIN
  return static_cast<std::int64_t>(magnitude);
}

std::string format_minor(std::int64_t minor, std::string_view currency) {
  const int digits = digits_or_throw(currency);
  const bool negative = minor < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  const auto unit = static_cast<std::uint64_t>(pow10(digits));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / unit);
  if (digits > 0) {
    auto fraction = std::to_string(magnitude % unit);
    out += '.';
    out += std::string(static_cast<std::size_t>(digits) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

}  // namespace herald::core
