#include "adapters/sandbox/platforms/graph_fields.hpp"

#include <stdexcept>

namespace herald::sandbox {

std::optional<std::string> FieldSpec::modifier(const std::string& key) const {
  auto it = modifiers.find(key);
  if (it == modifiers.end()) return std::nullopt;
  return it->second;
}

namespace {

std::vector<FieldSpec> parse_list(std::string_view s, std::size_t& pos, bool nested) {
  std::vector<FieldSpec> out;
  while (pos < s.size()) {
    while (pos < s.size() && (s[pos] == ',' || s[pos] == ' ')) ++pos;
    if (pos >= s.size()) break;
    if (s[pos] == '}') {
      if (!nested) throw std::invalid_argument("unbalanced } in fields");
      ++pos;
      return out;
    }
    FieldSpec f;
    while (pos < s.size() && s[pos] != ',' && s[pos] != '.' && s[pos] != '{' && s[pos] != '}') f.name += s[pos++];
    while (pos < s.size() && s[pos] == '.') {
      ++pos;
      std::string key;
      while (pos < s.size() && s[pos] != '(') key += s[pos++];
      auto close = s.find(')', pos);
      if (pos >= s.size() || close == std::string_view::npos) throw std::invalid_argument("unbalanced ( in fields");
      f.modifiers[key] = std::string(s.substr(pos + 1, close - pos - 1));
      pos = close + 1;
    }
    if (pos < s.size() && s[pos] == '{') {
      ++pos;
      f.fields = parse_list(s, pos, true);
    }
    if (!f.name.empty()) out.push_back(std::move(f));
  }
  if (nested) throw std::invalid_argument("unbalanced { in fields");
  return out;
}

}  // namespace

std::vector<FieldSpec> parse_fields(std::string_view text) {
  std::size_t pos = 0;
  return parse_list(text, pos, false);
}

const FieldSpec* find_field(const std::vector<FieldSpec>& fields, const std::string& name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace herald::sandbox
