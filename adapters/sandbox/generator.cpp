#include "adapters/sandbox/generator.hpp"

#include <array>
#include <string_view>

namespace herald::sandbox {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {

struct Name {
  std::string_view handle;
  std::string_view display;
};

constexpr std::array<Name, 16> kNames{{{"lin_wei", "Lin Wei"},
                                       {"zhang_min", "张敏"},
                                       {"chen_jie", "陈杰"},
                                       {"wang_fang", "王芳"},
                                       {"liu_yang", "Liu Yang"},
                                       {"maria_g", "Maria Garcia"},
                                       {"sam_okafor", "Sam Okafor"},
                                       {"priya_n", "Priya Nair"},
                                       {"tom_becker", "Tom Becker"},
                                       {"yuki_t", "Yuki Tanaka"},
                                       {"ana_silva", "Ana Silva"},
                                       {"li_na", "李娜"},
                                       {"zhao_lei", "赵磊"},
                                       {"emma_w", "Emma Wilson"},
                                       {"omar_h", "Omar Haddad"},
                                       {"sofia_r", "Sofia Rossi"}}};

constexpr std::array<std::string_view, 8> kEnPositive{
    {"Love the new release, great work!", "This is exactly what I needed, thank you.",
     "Just tried it and it works perfectly.", "Huge fan of what your team is doing.",
     "Fast delivery and the quality is amazing.", "Best customer service I have had in years.",
     "Can't wait for the next update!", "Recommended this to all my friends."}};
constexpr std::array<std::string_view, 6> kEnNeutral{
    {"When will this be available in my country?", "Does this work with the older model?",
     "What are your opening hours this weekend?", "Is there a student discount?",
     "How do I change the language settings?", "Any plans for a dark mode?"}};
constexpr std::array<std::string_view, 6> kEnNegative{
    {"Terrible experience, my order arrived broken.", "Still waiting for a refund after three weeks. Unacceptable.",
     "The app keeps crashing since the last update.", "Worst support ever, nobody answers.",
     "I was charged twice and nobody cares.", "Really disappointed, this is not what was advertised."}};
// clang-format off: one text per line
constexpr std::array<std::string_view, 8> kZhPositive{{
    "新版本太好用了，点赞！",
    "质量非常好，物流也很快。",
    "客服态度很好，问题马上解决了。",
    "一直支持你们，加油！",
    "刚试了一下，效果超出预期。",
    "已经推荐给身边的朋友了。",
    "期待下一次更新！",
    "包装很用心，很喜欢。"}};
// clang-format on
// clang-format off: one text per line
constexpr std::array<std::string_view, 6> kZhNeutral{{
    "请问什么时候在上海上市？",
    "这个型号支持旧版本吗？",
    "周末营业时间是几点？",
    "有学生优惠吗？",
    "怎么修改语言设置？",
    "会出深色模式吗？"}};
// clang-format on
// clang-format off: one text per line
constexpr std::array<std::string_view, 6> kZhNegative{{
    "收到的商品是坏的，非常失望。",
    "退款三周了还没到账，太差劲了。",
    "更新之后应用一直闪退。",
    "客服根本不回复，体验极差。",
    "被重复扣款了，没人处理。",
    "和宣传的完全不一样，差评。"}};
// clang-format on

template <std::size_t N>
std::string_view pick(SplitMix64& rng, const std::array<std::string_view, N>& pool) {
  return pool[rng.below(N)];
}

}  // namespace

GeneratedEvent Generator::next(EventKind kind) {
  std::lock_guard lock(mutex_);
  GeneratedEvent e;
  const auto& name = kNames[rng_.below(kNames.size())];
  auto suffix = rng_.below(900) + 100;
  e.author_handle = std::string(name.handle) + "_" + std::to_string(suffix);
  e.author_name = std::string(name.display);
  bool zh = rng_.below(2) == 0;
  auto roll = rng_.below(100);
  // DMs skew towards questions and complaints, as real inboxes do.
  int negative_pct = kind == EventKind::dm ? 35 : 25;
  int neutral_pct = kind == EventKind::dm ? 40 : 25;
  if (roll < static_cast<std::uint64_t>(negative_pct)) {
    e.sentiment = "negative";
    e.text = std::string(zh ? pick(rng_, kZhNegative) : pick(rng_, kEnNegative));
  } else if (roll < static_cast<std::uint64_t>(negative_pct + neutral_pct)) {
    e.sentiment = "neutral";
    e.text = std::string(zh ? pick(rng_, kZhNeutral) : pick(rng_, kEnNeutral));
  } else {
    e.sentiment = "positive";
    e.text = std::string(zh ? pick(rng_, kZhPositive) : pick(rng_, kEnPositive));
  }
  e.language = zh ? "zh" : "en";
  return e;
}

}  // namespace herald::sandbox
