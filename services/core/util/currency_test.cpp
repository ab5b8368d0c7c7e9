#include "services/core/util/currency.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace herald::core {
namespace {

constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();

TEST(MinorDigits, KnowsTheIso4217MinorUnits) {
  EXPECT_EQ(minor_digits("USD"), 2);
  EXPECT_EQ(minor_digits("JPY"), 0);
  EXPECT_EQ(minor_digits("KRW"), 0);
  EXPECT_EQ(minor_digits("CNY"), 2);
  EXPECT_EQ(minor_digits("TWD"), 2);
  EXPECT_EQ(minor_digits("HKD"), 2);
  EXPECT_EQ(minor_digits("EUR"), 2);
  EXPECT_EQ(minor_digits("GBP"), 2);
  EXPECT_EQ(minor_digits("KWD"), 3);
  EXPECT_EQ(minor_digits("BHD"), 3);
  EXPECT_EQ(minor_digits("OMR"), 3);
  EXPECT_EQ(minor_digits("TND"), 3);
  EXPECT_EQ(minor_digits("VND"), 0);
  EXPECT_EQ(minor_digits("ISK"), 0);
  EXPECT_EQ(minor_digits("CLP"), 0);
  EXPECT_EQ(minor_digits("CLF"), 4);
  EXPECT_EQ(minor_digits("XOF"), 0);
  EXPECT_EQ(minor_digits("AAA"), std::nullopt);  // sorts before the table
  EXPECT_EQ(minor_digits("ZZZ"), std::nullopt);  // sorts after it
}

TEST(MinorDigits, CoversTheCommonCurrencies) {
  int known = 0;
  for (const char* code : {"USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "KRW", "SGD", "MYR", "THB", "IDR", "PHP",
                           "VND", "INR", "PKR", "BDT", "AUD", "NZD", "CAD", "MXN", "BRL", "ARS", "CLP", "COP", "PEN",
                           "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "TRY", "RUB", "UAH", "ILS", "AED",
                           "SAR", "QAR", "KWD", "BHD", "OMR", "JOD", "EGP", "ZAR", "NGN", "KES", "MAD", "MOP"}) {
    EXPECT_TRUE(minor_digits(code).has_value()) << code;
    known += minor_digits(code).has_value() ? 1 : 0;
  }
  EXPECT_GE(known, 40);
}

TEST(MinorDigits, RefusesUnknownAndMalformedCodes) {
  for (const char* bad : {"XYZ", "ABC", "XAU", "XXX", "usd", "Usd", "US", "USDD", "", "U$D", "US1", " USD"}) {
    EXPECT_EQ(minor_digits(bad), std::nullopt) << bad;
  }
}

TEST(RateTable, SetRefusesBadInput) {
  RateTable t;
  EXPECT_THROW(t.set("USD", "XYZ", 7.1), std::invalid_argument);
  EXPECT_THROW(t.set("usd", "CNY", 7.1), std::invalid_argument);
  EXPECT_THROW(t.set("USD", "CNY", 0), std::invalid_argument);
  EXPECT_THROW(t.set("USD", "CNY", -7.1), std::invalid_argument);
  EXPECT_THROW(t.set("USD", "CNY", std::nan("")), std::invalid_argument);
  EXPECT_THROW(t.set("USD", "CNY", std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(t.set("USD", "USD", 1.0), std::invalid_argument);
  try {
    t.set("USD", "CNY", -1);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rate"), std::string::npos) << e.what();
  }
  EXPECT_EQ(t.rate("USD", "CNY"), std::nullopt) << "nothing was stored";
}

TEST(RateTable, FindsDirectInverseAndOneHopRates) {
  RateTable t;
  t.set("USD", "CNY", 7.1);
  t.set("USD", "JPY", 150);
  t.set("EUR", "USD", 1.08);
  EXPECT_DOUBLE_EQ(t.rate("USD", "CNY").value(), 7.1);
  EXPECT_DOUBLE_EQ(t.rate("CNY", "USD").value(), 1 / 7.1);
  EXPECT_DOUBLE_EQ(t.rate("CNY", "JPY").value(), 150 / 7.1);   // CNY -> USD -> JPY
  EXPECT_DOUBLE_EQ(t.rate("EUR", "CNY").value(), 1.08 * 7.1);  // EUR -> USD -> CNY
  EXPECT_DOUBLE_EQ(t.rate("JPY", "EUR").value(), 1 / 150.0 / 1.08);
  EXPECT_DOUBLE_EQ(t.rate("KRW", "KRW").value(), 1.0);
  EXPECT_EQ(t.rate("USD", "GBP"), std::nullopt);
  EXPECT_EQ(t.rate("USD", "XYZ"), std::nullopt);

  t.set("CNY", "USD", 0.15);  // a direct rate wins over the inverse of the other direction
  EXPECT_DOUBLE_EQ(t.rate("CNY", "USD").value(), 0.15);
  EXPECT_DOUBLE_EQ(t.rate("USD", "CNY").value(), 7.1);
  t.set("USD", "CNY", 7.2);  // set replaces
  EXPECT_DOUBLE_EQ(t.rate("USD", "CNY").value(), 7.2);
}

TEST(RateTable, DoesNotChainMoreThanOneIntermediateCurrency) {
  RateTable t;
  t.set("GBP", "EUR", 1.17);
  t.set("EUR", "USD", 1.08);
  t.set("USD", "CNY", 7.1);
  EXPECT_TRUE(t.rate("GBP", "USD"));
  EXPECT_EQ(t.rate("GBP", "CNY"), std::nullopt);  // GBP -> EUR -> USD -> CNY needs two
}

TEST(RateTable, PicksTheAlphabeticallyFirstCommonCurrency) {
  RateTable t;
  t.set("HKD", "USD", 0.128);
  t.set("USD", "TWD", 32.0);
  t.set("HKD", "EUR", 0.118);
  t.set("EUR", "TWD", 34.0);
  EXPECT_DOUBLE_EQ(t.rate("HKD", "TWD").value(), 0.118 * 34.0);  // via EUR, not USD
}

TEST(ConvertMinor, RespectsBothCurrenciesMinorUnits) {
  RateTable t;
  t.set("USD", "CNY", 7.1);
  t.set("USD", "JPY", 150);
  t.set("KWD", "USD", 3.25);
  EXPECT_EQ(t.convert_minor(1234, "USD", "CNY"), 8761);  // 12.34 USD * 7.1 = 87.614 CNY
  EXPECT_EQ(t.convert_minor(1234, "USD", "JPY"), 1851);  // 12.34 * 150 = 1851 JPY
  EXPECT_EQ(t.convert_minor(1851, "JPY", "USD"), 1234);  // 1851 / 150 = 12.34 USD
  EXPECT_EQ(t.convert_minor(1000, "KWD", "USD"), 325);   // 1.000 KWD = 3.25 USD
  EXPECT_EQ(t.convert_minor(325, "USD", "KWD"), 1000);
  EXPECT_EQ(t.convert_minor(100, "CNY", "USD"), 14);     // 1 CNY = 0.1408... USD
  EXPECT_EQ(t.convert_minor(-1234, "USD", "CNY"), -8761);
  EXPECT_EQ(t.convert_minor(0, "USD", "JPY"), 0);
  EXPECT_EQ(t.convert_minor(777, "GBP", "GBP"), 777);   // identity needs no rate
  EXPECT_EQ(t.convert_minor(100, "USD", "GBP"), std::nullopt);
}

TEST(ConvertMinor, RoundsHalfToEvenOnTheDecimalRate) {
  RateTable t;
  t.set("USD", "JPY", 150);
  EXPECT_EQ(t.convert_minor(3, "USD", "JPY"), 4);    // 4.5 -> 4
  EXPECT_EQ(t.convert_minor(5, "USD", "JPY"), 8);    // 7.5 -> 8
  EXPECT_EQ(t.convert_minor(1, "USD", "JPY"), 2);    // 1.5 -> 2
  EXPECT_EQ(t.convert_minor(-3, "USD", "JPY"), -4);  // -4.5 -> -4
  EXPECT_EQ(t.convert_minor(-5, "USD", "JPY"), -8);  // -7.5 -> -8
  EXPECT_EQ(t.convert_minor(7, "USD", "JPY"), 10);   // 10.5 -> 10

  // 1.15 has no exact binary form; the ties are decided on the decimal 1.15.
  t.set("USD", "EUR", 1.15);
  EXPECT_EQ(t.convert_minor(10, "USD", "EUR"), 12);    // 11.5 -> 12
  EXPECT_EQ(t.convert_minor(30, "USD", "EUR"), 34);    // 34.5 -> 34
  EXPECT_EQ(t.convert_minor(50, "USD", "EUR"), 58);    // 57.5 -> 58
  EXPECT_EQ(t.convert_minor(70, "USD", "EUR"), 80);    // 80.5 -> 80
  EXPECT_EQ(t.convert_minor(90, "USD", "EUR"), 104);   // 103.5 -> 104
  EXPECT_EQ(t.convert_minor(11, "USD", "EUR"), 13);    // 12.65 -> 13
  EXPECT_EQ(t.convert_minor(1, "USD", "EUR"), 1);      // 1.15 -> 1

  t.set("USD", "KRW", 1320.5);
  EXPECT_EQ(t.convert_minor(1, "USD", "KRW"), 13);     // 13.205 -> 13
  EXPECT_EQ(t.convert_minor(100, "USD", "KRW"), 1320);  // 1320.5 -> 1320
  EXPECT_EQ(t.convert_minor(300, "USD", "KRW"), 3962);  // 3961.5 -> 3962
}

TEST(ConvertMinor, WorksAtTheEdgesOfTheRange) {
  RateTable t;
  t.set("USD", "JPY", 150);
  t.set("USD", "VND", 24'500);
  // The inverse rate 1/150 is taken at its shortest decimal, 0.006666666666666667, so the result is
  // 9223372036854775807 * 0.6666666666666667 = 6148914691236517511.8..., computed exactly and rounded.
  EXPECT_EQ(t.convert_minor(kMax, "JPY", "USD"), std::optional<std::int64_t>(6'148'914'691'236'517'512));
  EXPECT_THROW(t.convert_minor(kMax, "USD", "JPY"), std::invalid_argument);
  EXPECT_THROW(t.convert_minor(kMin, "USD", "VND"), std::invalid_argument);
  t.set("IDR", "USD", 1e-30);
  EXPECT_EQ(t.convert_minor(kMax, "IDR", "USD"), 0);
}

TEST(ConvertMinor, RefusesUnknownCodes) {
  RateTable t;
  t.set("USD", "CNY", 7.1);
  EXPECT_THROW(t.convert_minor(100, "USD", "XYZ"), std::invalid_argument);
  EXPECT_THROW(t.convert_minor(100, "usd", "CNY"), std::invalid_argument);
  EXPECT_THROW(t.convert_minor(100, "ABC", "ABC"), std::invalid_argument);
}

TEST(ParseMajorAmount, ParsesExactly) {
  EXPECT_EQ(parse_major_amount("12.34", "USD"), 1234);
  EXPECT_EQ(parse_major_amount("-0.5", "USD"), -50);
  EXPECT_EQ(parse_major_amount("1000", "USD"), 100'000);
  EXPECT_EQ(parse_major_amount("1000", "JPY"), 1000);
  EXPECT_EQ(parse_major_amount("12.3", "USD"), 1230);
  EXPECT_EQ(parse_major_amount("12.30", "USD"), 1230);
  EXPECT_EQ(parse_major_amount("+3", "USD"), 300);
  EXPECT_EQ(parse_major_amount(".5", "USD"), 50);
  EXPECT_EQ(parse_major_amount("-0", "USD"), 0);
  EXPECT_EQ(parse_major_amount("007", "USD"), 700);
  EXPECT_EQ(parse_major_amount("0.001", "KWD"), 1);
  EXPECT_EQ(parse_major_amount("1.2345", "CLF"), 12'345);
  EXPECT_EQ(parse_major_amount("0.29", "USD"), 29);  // 0.29 * 100 is 28.999999999999996 in floating point
  EXPECT_EQ(parse_major_amount("92233720368547758.07", "USD"), kMax);
  EXPECT_EQ(parse_major_amount("-92233720368547758.08", "USD"), kMin);
  EXPECT_EQ(parse_major_amount("9223372036854775807", "JPY"), kMax);
}

TEST(ParseMajorAmount, RefusesMalformedText) {
  for (const char* bad : {"", "-", "+", ".", "1.", "-.", "1,000", "1 000", " 12", "12 ", "1e3", "--1", "+-1", "1.2.3",
                          "0x10", "12a", "١٢", "NaN", "inf", "12.34USD"}) {
    EXPECT_THROW(parse_major_amount(bad, "USD"), std::invalid_argument) << '"' << bad << '"';
  }
}

TEST(ParseMajorAmount, RefusesMoreDecimalsThanTheCurrencyHas) {
  try {
    parse_major_amount("12.345", "USD");
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at most 2 decimals"), std::string::npos) << e.what();
  }
  try {
    parse_major_amount("1.0", "JPY");
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no decimals"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_major_amount("0.0001", "KWD"), std::invalid_argument);
}

TEST(ParseMajorAmount, RefusesOutOfRangeAmountsAndUnknownCurrencies) {
  EXPECT_THROW(parse_major_amount("92233720368547758.08", "USD"), std::invalid_argument);
  EXPECT_THROW(parse_major_amount("-92233720368547758.09", "USD"), std::invalid_argument);
  EXPECT_THROW(parse_major_amount("9223372036854775808", "JPY"), std::invalid_argument);
  EXPECT_THROW(parse_major_amount("100000000000000000000000", "USD"), std::invalid_argument);
  EXPECT_THROW(parse_major_amount("12.34", "XYZ"), std::invalid_argument);
  EXPECT_THROW(parse_major_amount("12.34", "usd"), std::invalid_argument);
}

TEST(FormatMinor, ShowsAllTheCurrencysDecimals) {
  EXPECT_EQ(format_minor(1234, "USD"), "12.34");
  EXPECT_EQ(format_minor(5, "USD"), "0.05");
  EXPECT_EQ(format_minor(-5, "USD"), "-0.05");
  EXPECT_EQ(format_minor(-1234, "USD"), "-12.34");
  EXPECT_EQ(format_minor(100, "USD"), "1.00");
  EXPECT_EQ(format_minor(0, "USD"), "0.00");
  EXPECT_EQ(format_minor(1234, "JPY"), "1234");
  EXPECT_EQ(format_minor(-7, "KRW"), "-7");
  EXPECT_EQ(format_minor(1234, "KWD"), "1.234");
  EXPECT_EQ(format_minor(12, "BHD"), "0.012");
  EXPECT_EQ(format_minor(12'345, "CLF"), "1.2345");
  EXPECT_EQ(format_minor(kMax, "USD"), "92233720368547758.07");
  EXPECT_EQ(format_minor(kMin, "USD"), "-92233720368547758.08");
  EXPECT_THROW(format_minor(1, "XYZ"), std::invalid_argument);
}

TEST(FormatMinor, RoundTripsWithParse) {
  for (const char* code : {"USD", "JPY", "KWD", "CLF"}) {
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{99}, std::int64_t{-1001},
                           std::int64_t{123'456'789}, kMax, kMin}) {
      EXPECT_EQ(parse_major_amount(format_minor(v, code), code), v) << code << " " << v;
    }
  }
}

}  // namespace
}  // namespace herald::core
