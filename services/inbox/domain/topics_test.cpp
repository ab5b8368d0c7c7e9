#include "services/inbox/domain/topics.hpp"

#include <gtest/gtest.h>

namespace herald::inbox {
namespace {

TEST(Topics, TermsAreContentWordsAndCjkPairsWithoutParticles) {
  EXPECT_EQ(topic_terms("The DELIVERY was late, and the box was broken! Order #12345"),
            (std::vector<std::string>{"delivery", "late", "box", "broken", "order"}));
  // 退款 and 到账 are kept; the pairs with 了 or 还 in them are not.
  EXPECT_EQ(topic_terms("退款了还没到账"), (std::vector<std::string>{"退款", "没到", "到账"}));
  EXPECT_EQ(topic_terms("退款三周"), (std::vector<std::string>{"退款", "款三", "三周"}));
  EXPECT_TRUE(topic_terms("ok ?? 2024 ...").empty());
  EXPECT_EQ(topic_terms("don't can't refund's"), (std::vector<std::string>{"refund's"}));
  EXPECT_EQ(topic_terms("@acme_tea_2 delivery https://example.com/track?id=42 late"),
            (std::vector<std::string>{"delivery", "late"}));
  EXPECT_EQ(topic_terms("@acme 退款"), (std::vector<std::string>{"退款"}));
}

TEST(Topics, TheTopTermsAreThoseInTheMostMessages) {
  auto top = top_terms({"refund refund refund refund", "refund please", "late delivery", "delivery late again",
                        "delivery was fine"},
                       2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0], (std::pair<std::string, int>{"delivery", 3}));  // three messages, not four mentions
  EXPECT_EQ(top[1], (std::pair<std::string, int>{"late", 2}));       // a tie with refund: alphabetical
  EXPECT_TRUE(top_terms({}, 5).empty());
}

}  // namespace
}  // namespace herald::inbox
