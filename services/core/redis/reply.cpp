#include "services/core/redis/reply.hpp"

#include <utility>

#include "services/core/redis/error.hpp"

namespace herald::core::redis {
namespace {

constexpr std::size_t kDescribeMax = 80;

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kDescribeMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4U]);
      out.push_back(kHex[c & 0xfU]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > kDescribeMax) {
    out += "...";
  }
  out += "\"";
  return out;
}

}  // namespace

Reply Reply::nil() { return Reply{}; }

Reply Reply::integer(std::int64_t value) {
  Reply r;
  r.kind_ = Kind::kInteger;
  r.integer_ = value;
  return r;
}

Reply Reply::string(std::string value) {
  Reply r;
  r.kind_ = Kind::kString;
  r.text_ = std::move(value);
  return r;
}

Reply Reply::status(std::string value) {
  Reply r;
  r.kind_ = Kind::kStatus;
  r.text_ = std::move(value);
  return r;
}

Reply Reply::error(std::string message) {
  Reply r;
  r.kind_ = Kind::kError;
  r.text_ = std::move(message);
  return r;
}

Reply Reply::array(std::vector<Reply> elements) {
  Reply r;
  r.kind_ = Kind::kArray;
  r.elements_ = std::move(elements);
  return r;
}

std::int64_t Reply::as_integer() const {
  if (kind_ != Kind::kInteger) {
    throw_mismatch("integer");
  }
  return integer_;
}

const std::string& Reply::as_string() const {
  if (kind_ != Kind::kString && kind_ != Kind::kStatus) {
    throw_mismatch("string");
  }
  return text_;
}

std::optional<std::string> Reply::as_optional_string() const {
  if (kind_ == Kind::kNil) {
    return std::nullopt;
  }
  return as_string();
}

const std::vector<Reply>& Reply::elements() const {
  if (kind_ != Kind::kArray) {
    throw_mismatch("array");
  }
  return elements_;
}

bool Reply::is_error_with_prefix(std::string_view prefix) const noexcept {
  return kind_ == Kind::kError && std::string_view(text_).substr(0, prefix.size()) == prefix;
}

std::string Reply::describe() const {
  switch (kind_) {
    case Kind::kNil:
      return "nil";
    case Kind::kInteger:
      return "integer " + std::to_string(integer_);
    case Kind::kString:
      return "string " + quoted(text_);
    case Kind::kStatus:
      return "status " + quoted(text_);
    case Kind::kError:
      return "error " + quoted(text_);
    case Kind::kArray:
      return "array of " + std::to_string(elements_.size());
  }
  return "unknown";
}

void Reply::throw_mismatch(const char* wanted) const {
  if (kind_ == Kind::kError) {
    throw ReplyError("redis error reply: " + text_);
  }
  throw ReplyError(std::string("unexpected redis reply: wanted ") + wanted + ", got " + describe());
}

}  // namespace herald::core::redis
