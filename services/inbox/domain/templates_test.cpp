#include "services/inbox/domain/templates.hpp"

#include <gtest/gtest.h>

namespace herald::inbox {
namespace {

TEST(Templates, FindsVariablesOnceInOrderAndTellsTheUnknownOnes) {
  auto v = variables_in("Hi {{name}}, {{ agent }} here for {{brand}}. {{name}}? {{nmae}} {{}} {{a\nb}}");
  EXPECT_EQ(v, (std::vector<std::string>{"name", "agent", "brand", "nmae", ""}));
  EXPECT_EQ(unknown_variables("Hi {{name}}, {{nmae}} and {{ Brand }}"), (std::vector<std::string>{"nmae", "Brand"}));
  EXPECT_TRUE(unknown_variables("no variables {here} or { {name} }").empty());
}

TEST(Templates, RendersKnownVariablesAndListsTheMissingOnes) {
  auto r = render_template("Hi {{name}} ({{ handle }}), {{agent}} from {{brand}}. {{unknown}} {{account}}",
                           {{"name", "李雷"}, {"handle", "@lilei"}, {"agent", "Ann"}, {"brand", ""}});
  EXPECT_EQ(r.text, "Hi 李雷 (@lilei), Ann from . {{unknown}} ");
  EXPECT_EQ(r.missing, (std::vector<std::string>{"brand", "account"}));
  EXPECT_EQ(render_template("plain text", {}).text, "plain text");
  EXPECT_EQ(render_template("{{name}}{{name}}", {{"name", "x"}}).text, "xx");
  EXPECT_EQ(render_template("unclosed {{name", {{"name", "x"}}).text, "unclosed {{name");
}

TEST(Templates, SimilarQuestionsScoreHigherThanUnrelatedOnes) {
  const std::string faq = "How do I get a refund for my order?";
  EXPECT_DOUBLE_EQ(question_similarity(faq, faq), 1.0);
  EXPECT_GT(question_similarity("how can I get a REFUND for the order", faq), 0.5);
  EXPECT_LT(question_similarity("love the new colours!", faq), 0.2);
  const std::string zh = "订单怎么申请退款";
  EXPECT_GT(question_similarity("请问怎么申请退款?", zh), 0.5);
  EXPECT_LT(question_similarity("新品什么时候上市", zh), 0.2);
  EXPECT_EQ(question_similarity("", zh), 0.0);
  EXPECT_EQ(question_similarity("!!!", "???"), 0.0);
  // Invalid bytes are skipped, never thrown on.
  EXPECT_GT(question_similarity(std::string("refund\xff order"), "refund order"), 0.9);
}

}  // namespace
}  // namespace herald::inbox
