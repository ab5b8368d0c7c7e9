#include "services/inbox/domain/enrichment.hpp"

#include <gtest/gtest.h>

#include <string>

namespace herald::inbox {
namespace {

std::string lang(std::string_view text) { return enrich(text).language; }
Sentiment sentiment(std::string_view text) { return enrich(text).sentiment; }
Category category(std::string_view text) { return enrich(text).category; }

// --- language ---------------------------------------------------------------------------------

TEST(EnrichLanguage, ChineseSimplifiedAndTraditional) {
  EXPECT_EQ(lang("这个产品很好用"), "zh");
  EXPECT_EQ(lang("這個產品很好用"), "zh");
  EXPECT_EQ(lang("iPhone 15 质量太差了"), "zh");  // a brand name does not outvote the sentence
}

TEST(EnrichLanguage, KanaMakesJapanese) {
  EXPECT_EQ(lang("この商品はとても良いです"), "ja");
  EXPECT_EQ(lang("ありがとう"), "ja");
  EXPECT_EQ(lang("我の天，太好看了"), "zh");  // の borrowed for 的 alone is not Japanese
}

TEST(EnrichLanguage, KoreanRussianArabicThai) {
  EXPECT_EQ(lang("배송이 너무 느려요"), "ko");
  EXPECT_EQ(lang("Отличный товар, спасибо"), "ru");
  EXPECT_EQ(lang("شكرا جزيلا على الخدمة"), "ar");
  EXPECT_EQ(lang("ขอบคุณมากครับ"), "th");
}

TEST(EnrichLanguage, LatinDefaultsToEnglishAndKnowsAFewOthers) {
  EXPECT_EQ(lang("Where is my order?"), "en");
  EXPECT_EQ(lang("ok"), "en");
  EXPECT_EQ(lang("Muy bueno, pero el envío es lento"), "es");
  EXPECT_EQ(lang("Le produit est très bien et pas cher"), "fr");
  EXPECT_EQ(lang("Das Produkt ist sehr gut und nicht teuer"), "de");
  EXPECT_EQ(lang("O produto é muito bom, obrigado"), "pt");
  EXPECT_EQ(lang("The movie Die Hard is the best"), "en");  // one German-looking word is not German
}

TEST(EnrichLanguage, NothingLetterLikeIsUndetermined) {
  EXPECT_EQ(lang("😍👍🎉"), "und");
  EXPECT_EQ(lang("❤️❤️❤️"), "und");
  EXPECT_EQ(lang("123 !!! ???"), "und");
  EXPECT_EQ(lang(""), "und");
}

// --- sentiment --------------------------------------------------------------------------------

TEST(EnrichSentiment, EnglishBasics) {
  EXPECT_EQ(sentiment("I love this, thank you!"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("This is the worst, I want a refund"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("My order number is 4821."), Sentiment::kNeutral);
  EXPECT_EQ(sentiment("LOVE IT"), Sentiment::kPositive);  // case-insensitive
}

TEST(EnrichSentiment, EnglishMatchesWholeWordsOnly) {
  // "bad" inside "badge", "hate" inside "whatever", "sad" inside "ambassador".
  EXPECT_EQ(sentiment("Where do I pick up my badge, whatever the ambassador said"), Sentiment::kNeutral);
}

TEST(EnrichSentiment, NegationFlipsTheNextSentimentWord) {
  EXPECT_EQ(sentiment("not good"), Sentiment::kNegative);
  EXPECT_NE(sentiment("not bad"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("I don't think it's good"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("It isn't great"), Sentiment::kNegative);         // any n't word negates
  EXPECT_EQ(sentiment("Not sure yet. Good so far"), Sentiment::kPositive);  // not past a full stop
  EXPECT_EQ(sentiment("No, it's great"), Sentiment::kPositive);             // nor past a comma
  EXPECT_EQ(sentiment("不，很好"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("I did not expect it to be this good"), Sentiment::kPositive);  // too far away
  EXPECT_EQ(sentiment("No problem, thanks"), Sentiment::kPositive);     // a phrase, not a negation
  EXPECT_EQ(sentiment("It doesn't work"), Sentiment::kNegative);
}

TEST(EnrichSentiment, IntensifiersWeigh) {
  EXPECT_GT(enrich("very good").sentiment_score, enrich("good").sentiment_score);
  EXPECT_LT(enrich("really bad").sentiment_score, enrich("bad").sentiment_score);
  EXPECT_GT(enrich("非常喜欢").sentiment_score, enrich("喜欢").sentiment_score);
}

TEST(EnrichSentiment, ChineseSimplifiedAndTraditional) {
  EXPECT_EQ(sentiment("质量太差了"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("質量太差了"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("非常喜欢"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("非常喜歡"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("骗子"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("騙子"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("感谢客服"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("感謝客服"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("好评"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("好評"), Sentiment::kPositive);
}

TEST(EnrichSentiment, ChineseNegationAndLongestMatch) {
  EXPECT_EQ(sentiment("不好"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("不是很满意"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("沒有失望"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("别买"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("不错"), Sentiment::kPositive);           // 不错 is one word, not 不 + 错
  EXPECT_EQ(sentiment("特别喜欢"), Sentiment::kPositive);       // 特别 is an intensifier, not 别
  EXPECT_EQ(sentiment("你好，我想问一下"), Sentiment::kNeutral);  // 你好 is a greeting, not 好
  EXPECT_EQ(sentiment("差不多明天到"), Sentiment::kNeutral);     // 差不多 is "about", not 差
  EXPECT_EQ(sentiment("快递很慢"), Sentiment::kNegative);       // 快递 is the courier, not 快
  EXPECT_EQ(sentiment("麻烦看一下"), Sentiment::kNeutral);      // 麻烦 is "please", not 烦
  EXPECT_EQ(sentiment("好烦"), Sentiment::kNegative);           // 好 before a sentiment word is "so"
  EXPECT_GT(enrich("好喜欢").sentiment_score, enrich("喜欢").sentiment_score);
}

TEST(EnrichSentiment, Emoji) {
  EXPECT_EQ(sentiment("😡😡"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("👎"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("😍"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("👍🏽"), Sentiment::kPositive);  // with a skin tone
  EXPECT_EQ(sentiment("❤️"), Sentiment::kPositive);   // with the emoji variation selector
}

TEST(EnrichSentiment, ContrastFavoursWhatComesAfterBut) {
  // Equal weights on both sides: without the contrast rule both would be neutral.
  EXPECT_EQ(sentiment("The price is good but the quality is bad"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("The quality is bad but the price is good"), Sentiment::kPositive);
  EXPECT_EQ(sentiment("包装很漂亮，但是质量差"), Sentiment::kNegative);
  EXPECT_EQ(sentiment("外观一般，但是很好用"), Sentiment::kPositive);
}

TEST(EnrichSentiment, ScoreStaysInRange) {
  const double pos = enrich("love love love amazing perfect best wonderful thank you 😍😍😍").sentiment_score;
  const double neg = enrich("worst terrible awful scam garbage 垃圾 骗子 😡😡😡").sentiment_score;
  EXPECT_GT(pos, 0.9);
  EXPECT_LE(pos, 1.0);
  EXPECT_LT(neg, -0.9);
  EXPECT_GE(neg, -1.0);
  EXPECT_EQ(enrich("").sentiment_score, 0.0);
}

// --- category ---------------------------------------------------------------------------------

TEST(EnrichCategory, Spam) {
  EXPECT_EQ(category("Follow me for more!"), Category::kSpam);
  EXPECT_EQ(category("Click here to claim your FREE MONEY"), Category::kSpam);
  EXPECT_EQ(category("Huge discount at www.cheap-deals.example today"), Category::kSpam);
  EXPECT_EQ(category("兼职日赚500，加微信了解"), Category::kSpam);
  EXPECT_EQ(category("正品代購，私信我"), Category::kSpam);
  EXPECT_EQ(category("加\u200b微信领红包"), Category::kSpam);  // a zero-width space does not hide it
  EXPECT_EQ(category("111111111111"), Category::kSpam);         // repeated characters
}

TEST(EnrichCategory, NotSpam) {
  EXPECT_NE(category("Here is the photo: https://example.com/p/123.jpg"), Category::kSpam);  // a link alone
  EXPECT_NE(category("哈哈哈哈哈哈哈哈哈哈哈哈 太好笑了"), Category::kSpam);                  // laughter
  EXPECT_NE(category("😡😡😡😡😡😡😡😡😡😡😡😡"), Category::kSpam);                        // an angry customer
  EXPECT_NE(category("My screen is broken!!!!!!!!!!!!"), Category::kSpam);
}

TEST(EnrichCategory, Complaint) {
  EXPECT_EQ(category("My order arrived broken, I want a refund."), Category::kComplaint);
  EXPECT_EQ(category("This is the worst, I want a refund"), Category::kComplaint);
  EXPECT_EQ(category("Is this a scam?"), Category::kComplaint);  // complaint comes before inquiry
  EXPECT_EQ(category("收到就坏了，我要投诉"), Category::kComplaint);
  EXPECT_EQ(category("收到就壞了，我要投訴"), Category::kComplaint);
  EXPECT_EQ(category("有质量问题，申请退款"), Category::kComplaint);
}

TEST(EnrichCategory, ComplaintWordInAPositiveMessageIsNot) {
  EXPECT_NE(category("Thank you so much for the quick refund, great service!"), Category::kComplaint);
}

TEST(EnrichCategory, Inquiry) {
  EXPECT_EQ(category("How do I change my shipping address"), Category::kInquiry);
  EXPECT_EQ(category("Do you ship to Canada?"), Category::kInquiry);
  EXPECT_EQ(category("Thanks! When will it ship?"), Category::kInquiry);  // inquiry comes before praise
  EXPECT_EQ(category("请问这款有黑色吗"), Category::kInquiry);
  EXPECT_EQ(category("這個多少錢"), Category::kInquiry);
  EXPECT_EQ(category("門市幾點開門？"), Category::kInquiry);  // full-width question mark
}

TEST(EnrichCategory, Suggestion) {
  EXPECT_EQ(category("You should add a dark mode"), Category::kSuggestion);
  EXPECT_EQ(category("Please add Apple Pay support"), Category::kSuggestion);
  EXPECT_EQ(category("建议增加夜间模式"), Category::kSuggestion);
  EXPECT_EQ(category("希望能出深色模式"), Category::kSuggestion);
  EXPECT_EQ(category("建議加入深色模式"), Category::kSuggestion);
}

TEST(EnrichCategory, Praise) {
  EXPECT_EQ(category("Great service, thank you so much!"), Category::kPraise);
  EXPECT_EQ(category("👍👍"), Category::kPraise);
  EXPECT_EQ(category("非常喜欢，好评！"), Category::kPraise);
  EXPECT_EQ(category("很喜歡，感謝客服"), Category::kPraise);
}

TEST(EnrichCategory, EnglishKeywordsMatchWholeWords) {
  EXPECT_EQ(category("The showcase was lovely"), Category::kPraise);  // "how" inside "showcase"
  EXPECT_EQ(category("Somehow it arrived"), Category::kOther);        // ... at the end of a word
  EXPECT_EQ(category("Ordered the scampi"), Category::kOther);        // "scam" at the start of one
  EXPECT_EQ(category("Free shipping on my order, lovely"), Category::kPraise);  // promo word without a link
}

TEST(EnrichCategory, Other) {
  EXPECT_EQ(category("Just picked it up from the store."), Category::kOther);
  EXPECT_EQ(category("今天到店里看了一下"), Category::kOther);
  EXPECT_EQ(category(""), Category::kOther);
}

// --- robustness -------------------------------------------------------------------------------

TEST(Enrich, InvalidUtf8IsSkippedNotThrown) {
  const std::string broken = "\xff\xfe\xe8\xb4\xa8\xe9\x87\x8f\x80\xe5\xa4\xaa\xe5\xb7\xae\xe4\xba\x86\xc3";  // 质量.太差了.
  Enrichment e;
  EXPECT_NO_THROW(e = enrich(broken));
  EXPECT_EQ(e.language, "zh");
  EXPECT_EQ(e.sentiment, Sentiment::kNegative);
  // Overlong forms, surrogates, truncated sequences and a NUL byte.
  const char raw[] = "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe4\xbd\0bad\xf0\x9f";
  const std::string nasty(raw, sizeof raw - 1);
  EXPECT_NO_THROW(e = enrich(nasty));
  EXPECT_EQ(e.sentiment, Sentiment::kNegative);  // "bad" still counts
  // Skipped, not replaced: an invalid byte inside a keyword does not hide it.
  EXPECT_EQ(enrich("\xe5\x9e\x83\xff\xe5\x9c\xbe").sentiment, Sentiment::kNegative);  // 垃\xff圾
  EXPECT_EQ(enrich("ba\x80" "d").sentiment, Sentiment::kNegative);
  EXPECT_NO_THROW(enrich(std::string(1000, '\x80')));
  EXPECT_EQ(enrich(std::string(1000, '\x80')).language, "und");
}

TEST(Enrich, FullWidthLettersFold) {
  EXPECT_EQ(sentiment("ＧＯＯＤ"), Sentiment::kPositive);
  EXPECT_EQ(lang("ＧＯＯＤ"), "en");
}

TEST(Enrich, ToString) {
  EXPECT_EQ(to_string(Sentiment::kNegative), "negative");
  EXPECT_EQ(to_string(Sentiment::kNeutral), "neutral");
  EXPECT_EQ(to_string(Sentiment::kPositive), "positive");
  EXPECT_EQ(to_string(Category::kInquiry), "inquiry");
  EXPECT_EQ(to_string(Category::kSuggestion), "suggestion");
  EXPECT_EQ(to_string(Category::kComplaint), "complaint");
  EXPECT_EQ(to_string(Category::kPraise), "praise");
  EXPECT_EQ(to_string(Category::kSpam), "spam");
  EXPECT_EQ(to_string(Category::kOther), "other");
}

// --- priority ---------------------------------------------------------------------------------

PriorityInput item(Sentiment s, Category c) {
  PriorityInput in;
  in.sentiment = s;
  in.category = c;
  return in;
}

TEST(Priority, OrderOfKinds) {
  PriorityInput crisis = item(Sentiment::kNeutral, Category::kOther);
  crisis.crisis_tagged = true;
  const int p_crisis = priority(crisis);
  const int p_complaint = priority(item(Sentiment::kNegative, Category::kComplaint));
  const int p_inquiry = priority(item(Sentiment::kNeutral, Category::kInquiry));
  const int p_praise = priority(item(Sentiment::kPositive, Category::kPraise));
  const int p_spam = priority(item(Sentiment::kNeutral, Category::kSpam));
  EXPECT_GT(p_crisis, p_complaint);
  EXPECT_GT(p_complaint, p_inquiry);
  EXPECT_GT(p_inquiry, p_praise);
  EXPECT_GT(p_praise, p_spam);
}

TEST(Priority, AuthorsAndDirectMessagesRaise) {
  const PriorityInput plain = item(Sentiment::kNeutral, Category::kOther);
  PriorityInput verified = plain, vip = plain, dm = plain;
  verified.author_verified = true;
  vip.author_vip = true;
  dm.direct_message = true;
  EXPECT_GT(priority(verified), priority(plain));
  EXPECT_GT(priority(vip), priority(verified));
  EXPECT_GT(priority(dm), priority(plain));
}

TEST(Priority, WaitingRaisesPerFullHourUpToACap) {
  PriorityInput in = item(Sentiment::kNeutral, Category::kInquiry);
  const int fresh = priority(in);
  in.waiting_s = 3599;
  EXPECT_EQ(priority(in), fresh);  // not a full hour yet
  in.waiting_s = 3 * 3600;
  EXPECT_EQ(priority(in), fresh + 6);
  in.waiting_s = 10 * 3600;
  const int capped = priority(in);
  in.waiting_s = 1000 * 3600;
  EXPECT_EQ(priority(in), capped);
  EXPECT_EQ(capped, fresh + 20);
  in.waiting_s = -5000;  // clock skew
  EXPECT_EQ(priority(in), fresh);
  in.waiting_s = INT64_MAX;
  EXPECT_EQ(priority(in), capped);
}

TEST(Priority, ClampsTo100) {
  PriorityInput in = item(Sentiment::kNegative, Category::kComplaint);
  in.crisis_tagged = in.author_verified = in.author_vip = in.direct_message = true;
  in.waiting_s = 48 * 3600;
  EXPECT_EQ(priority(in), 100);
}

TEST(Priority, SpamStaysLowWhateverTheAuthor) {
  PriorityInput in = item(Sentiment::kNegative, Category::kSpam);
  in.author_verified = in.author_vip = in.direct_message = true;
  in.waiting_s = 48 * 3600;
  EXPECT_LE(priority(in), 5);
  EXPECT_GE(priority(in), 0);
}

TEST(Priority, CrisisTaggedSpamIsNotBuried) {
  PriorityInput in = item(Sentiment::kNeutral, Category::kSpam);
  in.crisis_tagged = true;
  EXPECT_GT(priority(in), priority(item(Sentiment::kNegative, Category::kComplaint)));
}

TEST(Priority, Deterministic) {
  PriorityInput in = item(Sentiment::kNegative, Category::kComplaint);
  in.author_vip = true;
  in.waiting_s = 7200;
  EXPECT_EQ(priority(in), priority(in));
  EXPECT_EQ(priority(in), 20 + 20 + 10 + 15 + 4);
}

}  // namespace
}  // namespace herald::inbox
