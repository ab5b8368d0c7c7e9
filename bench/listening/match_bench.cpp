// bench_listening_match: the F4 figure "keyword matching with 10,000 rules: items per second on
// one core" (bench/run_listening.sh runs it pinned to one core). Not a test.
//
// Rules: 10,000 by default. 8,000 are Chinese keywords drawn from the 500 most common characters
// (a tenth of two characters, the rest three or four), a tenth of them fuzzy; 1,950 are English words of 4 to 9 letters;
// 50 are "[brand]" templates over three brand names. Items: 200,000 of about 80 characters,
// mixed Simplified and Traditional Chinese with some English; one in twenty carries a keyword.
// It times folding plus matching (what listening does per inbound item), single-threaded, over
// every item, after one warm-up pass. Prints one JSON document.
//
// Usage: bench_listening_match [RULES] [ITEMS]
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "services/crisis/listening/matcher.hpp"

namespace {

using herald::crisis::listening::KeywordRule;
using herald::crisis::listening::Matcher;

// The most common Chinese characters (Simplified), and a few Traditional ones to fold.
const std::string kCommon =
    "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行"
    "过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知使问力理"
    "点正动本机长然想实意全开情明物现系重外向表间很高白进命党度教把部它最门口反由品电关各义最变位工少题及身"
    "路色五近通保问立海特相知期北解必强区接记认整造风完果量放号花车条往算期林收件务安权数程流市运果证任持"
    "题设战群装议即何改办达别型活空联究边极价质受群品深制维服根领革团求万府四设院集光类商领王照住早战且原"
    "走备较科张传象需除计则千导节约图准规效清克火油元般红试眼布层音术华注消议往息兵存府究精推连类南治术值";
const std::string kTraditional = "當機產品召回質量問題服務態度退款發貨錯誤網絡斷線閃退";

std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int rule_count = argc > 1 ? std::stoi(argv[1]) : 10000;
  const int item_count = argc > 2 ? std::stoi(argv[2]) : 200000;
  std::mt19937 rng(20261201);
  auto common = code_points(kCommon);
  auto traditional = code_points(kTraditional);
  auto pick = [&](const std::vector<std::string>& v) { return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)]; };
  auto word = [&](int min, int max) {
    std::string w;
    int n = std::uniform_int_distribution<int>(min, max)(rng);
    for (int i = 0; i < n; ++i) w += static_cast<char>('a' + std::uniform_int_distribution<int>(0, 25)(rng));
    return w;
  };

  std::vector<KeywordRule> rules;
  std::vector<std::string> keywords;
  for (int i = 0; i < rule_count; ++i) {
    KeywordRule r;
    r.id = i + 1;
    r.weight = 1.0 + (i % 5);
    if (i < rule_count * 8 / 10) {
      // A tenth of two characters (common words such as 故障 or 退款 are), the rest three or four.
      int n = i % 10 == 1 ? 2 : std::uniform_int_distribution<int>(3, 4)(rng);
      for (int k = 0; k < n; ++k) r.keyword += pick(common);
      r.fuzzy = i % 10 == 0;
    } else if (i < rule_count - 50) {
      r.keyword = word(4, 9);
    } else {
      r.keyword = "[brand]" + pick(common) + pick(common);
    }
    keywords.push_back(r.keyword);
    rules.push_back(std::move(r));
  }
  auto t0 = std::chrono::steady_clock::now();
  Matcher matcher(rules, {"herald", "赫兰", "HRLD"});
  const double compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  std::vector<std::string> items;
  std::size_t bytes = 0;
  for (int i = 0; i < item_count; ++i) {
    std::string text;
    for (int k = 0; k < 70; ++k) text += k % 9 == 0 ? pick(traditional) : pick(common);
    text += " " + word(3, 8) + " " + word(3, 8);
    if (i % 20 == 0) {
      auto k = keywords[std::uniform_int_distribution<std::size_t>(0, keywords.size() - 1)(rng)];
      if (k.rfind("[brand]", 0) == 0) k.replace(0, 7, "赫兰");
      text.insert(text.size() / 2, k);
    }
    bytes += text.size();
    items.push_back(std::move(text));
  }

  std::size_t matched_items = 0, matches = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the first pass warms up
    matched_items = matches = 0;
    t0 = std::chrono::steady_clock::now();
    for (const auto& item : items) {
      auto r = matcher.scan(item);
      matches += r.matches.size();
      matched_items += r.matches.empty() ? 0 : 1;
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::json out{{"rules", rule_count},
                     {"patterns", matcher.patterns()},
                     {"compile_ms", compile_ms},
                     {"items", item_count},
                     {"mean_item_bytes", static_cast<double>(bytes) / item_count},
                     {"items_with_a_match", matched_items},
                     {"matches", matches},
                     {"seconds", s},
                     {"items_per_s", static_cast<double>(item_count) / s},
                     {"mb_per_s", static_cast<double>(bytes) / s / 1e6}};
  std::cout << out.dump(2) << std::endl;
  return 0;
}
