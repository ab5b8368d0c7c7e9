#include "herald/adapters/capabilities.hpp"

#include <vector>

namespace herald::adapters {
namespace {

// Decodes UTF-8 into code points; an invalid byte counts as one U+FFFD.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc >> 6) != 0x2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// twitter-text v3 configuration: these ranges weigh 1, everything else 2.
bool twitter_light(char32_t cp) {
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
}

bool starts_url(const std::vector<char32_t>& cps, std::size_t i) {
  auto match = [&](const char* prefix) {
    for (std::size_t k = 0; prefix[k] != 0; ++k) {
      if (i + k >= cps.size() || cps[i + k] != static_cast<char32_t>(prefix[k])) return false;
    }
    return true;
  };
  return (i == 0 || cps[i - 1] == ' ' || cps[i - 1] == '\n') && (match("http://") || match("https://"));
}

bool is_space(char32_t cp) { return cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == 0x3000; }

}  // namespace

int count_text(TextCounting rule, std::string_view utf8) {
  switch (rule) {
    case TextCounting::kBytes:
      return static_cast<int>(utf8.size());
    case TextCounting::kCodePoints:
      return static_cast<int>(code_points(utf8).size());
    case TextCounting::kUtf16: {
      int n = 0;
      for (char32_t cp : code_points(utf8)) n += cp > 0xFFFF ? 2 : 1;
      return n;
    }
    case TextCounting::kTwitterWeighted: {
      auto cps = code_points(utf8);
      int n = 0;
      for (std::size_t i = 0; i < cps.size();) {
        if (starts_url(cps, i)) {  // every URL counts as 23, whatever its length (t.co)
          while (i < cps.size() && !is_space(cps[i])) ++i;
          n += 23;
          continue;
        }
        n += twitter_light(cps[i]) ? 1 : 2;
        ++i;
      }
      return n;
    }
    case TextCounting::kWeibo: {
      // A Chinese (any non-ASCII) character counts 1; ASCII characters count half, rounded up.
      int wide = 0;
      int ascii = 0;
      for (char32_t cp : code_points(utf8)) (cp < 0x80 ? ascii : wide) += 1;
      return wide + (ascii + 1) / 2;
    }
  }
  return 0;
}

}  // namespace herald::adapters
