#pragma once
// Enrichment of one inbound item (comment, mention, DM), pure and deterministic: the language it
// is written in, its sentiment, what kind of message it is, and the priority it gets in the inbox.
// Rules, not a model: a lexicon for English and Chinese (Simplified and Traditional), negation
// and intensifiers, and keyword rules per category. Good enough to sort an inbox by urgency; the
// accuracy on the labelled sample is measured in bench/RESULTS.md.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace herald::inbox {

enum class Sentiment { kNegative, kNeutral, kPositive };
enum class Category { kInquiry, kSuggestion, kComplaint, kPraise, kSpam, kOther };

std::string_view to_string(Sentiment s);
std::string_view to_string(Category c);

struct Enrichment {
  std::string language;   // "zh", "en", "ja", "ko", "ru", "ar", ... or "und" when unknown
  Sentiment sentiment = Sentiment::kNeutral;
  double sentiment_score = 0;  // -1 .. 1
  Category category = Category::kOther;
};

// Language, sentiment and category of `text` (UTF-8; invalid bytes are skipped, never thrown on).
Enrichment enrich(std::string_view text);

struct PriorityInput {
  Sentiment sentiment = Sentiment::kNeutral;
  Category category = Category::kOther;
  bool crisis_tagged = false;    // matched a crisis listening rule or the sensitive-word library
  bool author_verified = false;  // verified on the platform
  bool author_vip = false;       // on the brand's VIP list
  bool direct_message = false;
  std::int64_t waiting_s = 0;    // since the item arrived without an answer
};

// 0 (lowest) .. 100. Crisis-tagged items come first, then negative ones, verified/VIP authors and
// complaints; spam goes last; waiting raises priority a little per hour.
int priority(const PriorityInput& in);

}  // namespace herald::inbox
