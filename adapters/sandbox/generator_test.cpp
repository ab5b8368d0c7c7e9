#include "adapters/sandbox/generator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace herald::sandbox {
namespace {

std::vector<GeneratedEvent> draw(std::uint64_t seed, int n) {
  Generator g(seed);
  std::vector<GeneratedEvent> out;
  for (int i = 0; i < n; ++i) out.push_back(g.next(i % 3 == 0 ? EventKind::dm : EventKind::comment));
  return out;
}

TEST(SplitMix64, MatchesTheReferenceSequence) {
  // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
  SplitMix64 r(0);
  EXPECT_EQ(r.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(r.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(r.next(), 0x06C45D188009454FULL);
}

TEST(Generator, SameSeedSameSequence) {
  auto a = draw(42, 50);
  auto b = draw(42, 50);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].author_handle, b[i].author_handle) << i;
    EXPECT_EQ(a[i].author_name, b[i].author_name) << i;
    EXPECT_EQ(a[i].text, b[i].text) << i;
    EXPECT_EQ(a[i].sentiment, b[i].sentiment) << i;
  }
}

TEST(Generator, DifferentSeedsDiffer) {
  auto a = draw(1, 20);
  auto b = draw(2, 20);
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i].text == b[i].text && a[i].author_handle == b[i].author_handle;
  EXPECT_LT(same, 5);
}

TEST(Generator, MixesChineseAndEnglishWithSomeNegative) {
  auto events = draw(7, 300);
  std::set<std::string> languages, sentiments;
  int negative = 0;
  for (const auto& e : events) {
    languages.insert(e.language);
    sentiments.insert(e.sentiment);
    negative += e.sentiment == "negative";
    EXPECT_FALSE(e.text.empty());
    EXPECT_NE(e.author_handle.find('_'), std::string::npos);
    if (e.language == "zh") {
      EXPECT_TRUE(static_cast<unsigned char>(e.text[0]) >= 0xE0) << e.text;  // a CJK character first
    }
  }
  EXPECT_EQ(languages, (std::set<std::string>{"en", "zh"}));
  EXPECT_EQ(sentiments.size(), 3u);
  EXPECT_GT(negative, 40);  // about a quarter to a third
  EXPECT_LT(negative, 140);
}

}  // namespace
}  // namespace herald::sandbox
