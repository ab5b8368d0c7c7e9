#include "services/inbox/domain/topics.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "services/core/util/utf8.hpp"
#include "services/inbox/domain/kinds.hpp"

namespace herald::inbox {

namespace {

const std::set<std::string_view>& stopwords() {
  static const std::set<std::string_view> words{
      "the", "and", "are", "was", "were", "this", "that", "these", "those", "for", "with", "you", "your", "have",
      "has", "had", "not", "but", "very", "all", "any", "can", "could", "would", "should", "will", "just", "our",
      "out", "get", "got", "from", "they", "them", "their", "there", "what", "when", "where", "who", "why", "how",
      "about", "into", "than", "then", "too", "also", "been", "being", "its", "it's", "i'm", "don't", "can't",
      "did", "does", "doing", "done", "here", "more", "much", "some", "such", "only", "own", "same", "now", "one",
      "her", "his", "him", "she", "hers", "ours", "yours", "myself", "me", "we", "us", "is", "it", "of", "to", "in",
      "on", "at", "an", "a", "or", "if", "so", "do", "be", "by", "as", "my", "no", "up", "am", "oh", "let", "let's",
      "still", "again", "even", "ever", "every", "because", "after", "before", "over", "yet", "off", "like"};
  return words;
}

// Characters that make a pair a grammatical one rather than a topic.
bool is_particle(char32_t c) {
  static const std::u32string particles = U"的了是我你他她它们在有不这那和也就都吗呢吧啊很太还又被把给对说要会个么";
  return particles.find(c) != std::u32string::npos;
}

bool is_word_char(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

}  // namespace

std::vector<std::string> topic_terms(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  std::size_t letters = 0;
  bool digits_only = true;
  std::vector<char32_t> run;
  auto flush_word = [&] {
    while (!word.empty() && word.back() == '\'') word.pop_back();
    if (letters >= 3 && !digits_only && stopwords().count(word) == 0) out.push_back(word);
    word.clear();
    letters = 0;
    digits_only = true;
  };
  auto flush_run = [&] {
    for (std::size_t k = 0; k + 1 < run.size(); ++k) {
      if (is_particle(run[k]) || is_particle(run[k + 1])) continue;
      std::string t;
      core::utf8::append(t, run[k]);
      core::utf8::append(t, run[k + 1]);
      out.push_back(std::move(t));
    }
    run.clear();
  };
  std::size_t i = 0;
  auto skip_to_space = [&] {
    while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t') ++i;
  };
  while (i < text.size()) {
    // @handles and links name no topic.
    if (text[i] == '@' || text.substr(i, 7) == "http://" || text.substr(i, 8) == "https://") {
      flush_word();
      flush_run();
      skip_to_space();
      continue;
    }
    auto c = core::utf8::next(text, i);
    if (!c) continue;
    if (is_cjk(*c)) {
      flush_word();
      run.push_back(*c);
    } else if (is_word_char(*c)) {
      flush_run();
      char32_t lower = (*c >= 'A' && *c <= 'Z') || (*c >= 0xC0 && *c <= 0xDE && *c != 0xD7) ? *c + 32 : *c;
      core::utf8::append(word, lower);
      if (*c != '\'') ++letters;
      if (!(*c >= '0' && *c <= '9') && *c != '\'') digits_only = false;
    } else {
      flush_word();
      flush_run();
    }
  }
  flush_word();
  flush_run();
  return out;
}

std::vector<std::pair<std::string, int>> top_terms(const std::vector<std::string>& texts, std::size_t n) {
  std::map<std::string, int> counts;
  for (const auto& text : texts) {
    auto terms = topic_terms(text);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (auto& t : terms) ++counts[t];
  }
  std::vector<std::pair<std::string, int>> out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace herald::inbox
