#pragma once
// Money for ad spend and revenue: ISO 4217 codes and their minor units (the number of decimals a currency
// is counted in: cents for USD, none for JPY and KRW, fils in thousandths for KWD), exchange rates, and
// exact conversion between decimal text and integer minor units. Amounts are int64 minor units throughout
// (no floating point in storage). Pure; unit-tested in currency_test.cpp. Shared by ads (spend, revenue, the rate table) and campaigns (budgets).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace herald::core {

// ISO 4217: the number of minor-unit digits of an active currency (USD 2, JPY 0, KRW 0, CNY 2, TWD 2,
// HKD 2, EUR 2, GBP 2, KWD 3, BHD 3, CLF 4, ... about 160 codes); nullopt for an unknown code or one that
// is not exactly three capital letters A-Z. Precious metals and test codes (XAU, XTS, XXX) have no minor
// unit and are not currencies here.
std::optional<int> minor_digits(std::string_view code);

// Exchange rates: how many units of `to` one unit of `from` buys (major units), e.g. rate("USD","CNY") = 7.1.
class RateTable {
 public:
  // Adds or replaces a rate. Throws invalid_argument for an unknown code, from == to, or a rate that is
  // not a finite number > 0.
  void set(std::string from, std::string to, double rate);
  // Direct, else inverse (1/rate of to->from), else through one common currency (each leg direct or
  // inverse; the alphabetically first common currency when several are); 1 for from == to; nullopt when
  // there is no such path or a code is unknown.
  std::optional<double> rate(std::string_view from, std::string_view to) const;
  // amount in minor units of `from` -> minor units of `to`, respecting both currencies' minor digits,
  // rounded half-to-even. The rate is taken at its shortest decimal form (7.1 is 71/10, not the nearest
  // binary double), so ties round as a person computing by hand would. nullopt when there is no rate.
  // Throws invalid_argument on an unknown code or when the result does not fit in int64.
  std::optional<std::int64_t> convert_minor(std::int64_t amount_minor, std::string_view from, std::string_view to) const;

 private:
  std::optional<double> leg(const std::string& from, const std::string& to) const;  // direct or inverse
  std::map<std::pair<std::string, std::string>, double> rates_;
};

// Parses a decimal amount in major units ("12.34", "-0.5", "+3", ".5", "1000") to minor units of the
// currency, exactly (no floating point). Throws invalid_argument on malformed input (spaces, thousands
// separators, exponents, "1."), more decimals than the currency has ("1.234" USD, "1.0" JPY), an amount
// outside int64 minor units, or an unknown currency.
std::int64_t parse_major_amount(std::string_view text, std::string_view currency);

// Minor units as a plain decimal in major units, all the currency's decimals shown: 1234 USD -> "12.34",
// -5 USD -> "-0.05", 1234 JPY -> "1234", 1234 KWD -> "1.234". No symbol, no grouping. Throws
// invalid_argument on an unknown currency.
std::string format_minor(std::int64_t minor, std::string_view currency);

}  // namespace herald::core
