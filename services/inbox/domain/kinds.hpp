#pragma once
// The inbox's names for what platforms send (comment, mention, dm, as stored and in the API), and
// what its word tools count as Chinese, Japanese and Korean script. Shared by the inbox's files.
#include <string_view>

#include "herald/adapters/types.hpp"

namespace herald::inbox {

inline std::string_view kind_name(adapters::InboundKind k) {
  switch (k) {
    case adapters::InboundKind::kComment: return "comment";
    case adapters::InboundKind::kMention: return "mention";
    case adapters::InboundKind::kDirectMessage: return "dm";
  }
  return "comment";
}

inline adapters::InboundKind kind_of(std::string_view k) {
  if (k == "dm") return adapters::InboundKind::kDirectMessage;
  if (k == "mention") return adapters::InboundKind::kMention;
  return adapters::InboundKind::kComment;
}

// Han (with extensions), kana and Hangul: written without spaces between words.
inline bool is_cjk(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FA1F);
}

}  // namespace herald::inbox
