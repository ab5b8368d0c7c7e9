#pragma once
// The Graph API's `fields` syntax with field expansion (developers.facebook.com/docs/graph-api/guides/
// field-expansion): "id,message,comments.limit(50).order(reverse_chronological){id,from{id,name}}".
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::sandbox {

struct FieldSpec {
  std::string name;
  std::map<std::string, std::string> modifiers;  // limit -> "50", order -> "reverse_chronological", summary -> "true"
  std::vector<FieldSpec> fields;                 // {...}; empty: the edge's default fields

  [[nodiscard]] std::optional<std::string> modifier(const std::string& key) const;
};

// Throws std::invalid_argument on unbalanced braces or parentheses.
[[nodiscard]] std::vector<FieldSpec> parse_fields(std::string_view text);
[[nodiscard]] const FieldSpec* find_field(const std::vector<FieldSpec>& fields, const std::string& name);

}  // namespace herald::sandbox
