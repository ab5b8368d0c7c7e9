#include "services/inbox/domain/templates.hpp"

#include <algorithm>
#include <set>

#include "services/core/util/utf8.hpp"
#include "services/inbox/domain/kinds.hpp"

namespace herald::inbox {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(start, end, name) for every {{name}} in `text` (name trimmed, may be anything but
// braces and newlines).
template <class F>
void each_variable(std::string_view text, F f) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    auto close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) return;
    auto inner = text.substr(pos + 2, close - pos - 2);
    if (inner.find_first_of("{}\n") != std::string_view::npos) {
      pos += 1;
      continue;
    }
    f(pos, close + 2, std::string(trim(inner)));
    pos = close + 2;
  }
}

bool is_known(const std::string& name) {
  const auto& known = template_variables();
  return std::find(known.begin(), known.end(), name) != known.end();
}

bool is_word_char(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F);
}

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  return c;
}

std::set<std::string> tokens(std::string_view text) {
  std::set<std::string> out;
  std::string word;
  std::vector<char32_t> run;  // consecutive CJK characters
  auto flush_word = [&] {
    if (!word.empty()) out.insert(word);
    word.clear();
  };
  auto flush_run = [&] {
    if (run.size() == 1) {
      std::string t;
      core::utf8::append(t, run[0]);
      out.insert(t);
    }
    for (std::size_t k = 0; k + 1 < run.size(); ++k) {
      std::string t;
      core::utf8::append(t, run[k]);
      core::utf8::append(t, run[k + 1]);
      out.insert(t);
    }
    run.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = core::utf8::next(text, i);
    if (!c) continue;
    if (is_cjk(*c)) {
      flush_word();
      run.push_back(*c);
    } else if (is_word_char(*c)) {
      flush_run();
      core::utf8::append(word, lower(*c));
    } else {
      flush_word();
      flush_run();
    }
  }
  flush_word();
  flush_run();
  return out;
}

}  // namespace

const std::vector<std::string>& template_variables() {
  static const std::vector<std::string> names{"name", "handle", "brand", "account", "agent"};
  return names;
}

std::vector<std::string> variables_in(std::string_view text) {
  std::vector<std::string> out;
  each_variable(text, [&](std::size_t, std::size_t, const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  });
  return out;
}

std::vector<std::string> unknown_variables(std::string_view text) {
  std::vector<std::string> out;
  for (auto& name : variables_in(text)) {
    if (!is_known(name)) out.push_back(std::move(name));
  }
  return out;
}

Rendered render_template(std::string_view text, const std::map<std::string, std::string>& values) {
  Rendered r;
  std::size_t copied = 0;
  each_variable(text, [&](std::size_t start, std::size_t end, const std::string& name) {
    if (!is_known(name)) return;
    r.text.append(text.substr(copied, start - copied));
    auto it = values.find(name);
    if (it != values.end() && !it->second.empty()) {
      r.text += it->second;
    } else if (std::find(r.missing.begin(), r.missing.end(), name) == r.missing.end()) {
      r.missing.push_back(name);
    }
    copied = end;
  });
  r.text.append(text.substr(copied));
  return r;
}

double question_similarity(std::string_view a, std::string_view b) {
  auto ta = tokens(a), tb = tokens(b);
  if (ta.empty() || tb.empty()) return 0;
  std::size_t common = 0;
  for (const auto& t : ta) common += tb.count(t);
  return 2.0 * static_cast<double>(common) / static_cast<double>(ta.size() + tb.size());
}

}  // namespace herald::inbox
