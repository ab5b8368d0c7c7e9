#pragma once
// A Redis reply converted into an owning value (no hiredis pointers escape this layer).
// Strings are binary-safe std::string. Errors are values of kind kError: the caller decides.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::core::redis {

class Reply {
 public:
  enum class Kind { kNil, kInteger, kString, kStatus, kError, kArray };

  Reply() = default;  // nil

  [[nodiscard]] static Reply nil();
  [[nodiscard]] static Reply integer(std::int64_t value);
  [[nodiscard]] static Reply string(std::string value);
  [[nodiscard]] static Reply status(std::string value);
  [[nodiscard]] static Reply error(std::string message);
  [[nodiscard]] static Reply array(std::vector<Reply> elements);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_nil() const noexcept { return kind_ == Kind::kNil; }
  [[nodiscard]] bool is_integer() const noexcept { return kind_ == Kind::kInteger; }
  [[nodiscard]] bool is_string() const noexcept { return kind_ == Kind::kString; }
  [[nodiscard]] bool is_status() const noexcept { return kind_ == Kind::kStatus; }
  [[nodiscard]] bool is_error() const noexcept { return kind_ == Kind::kError; }
  [[nodiscard]] bool is_array() const noexcept { return kind_ == Kind::kArray; }

  // Typed accessors. On a kind mismatch they throw ReplyError (carrying the Redis error text
  // when the reply is an error).
  [[nodiscard]] std::int64_t as_integer() const;
  // The bytes of a string or status reply.
  [[nodiscard]] const std::string& as_string() const;
  // As as_string(), but nil gives nullopt (GET of a missing key).
  [[nodiscard]] std::optional<std::string> as_optional_string() const;
  [[nodiscard]] const std::vector<Reply>& elements() const;

  // The text of a string, status or error reply ("ERR unknown command ..."); empty otherwise.
  [[nodiscard]] const std::string& str() const noexcept { return text_; }
  // True for an error reply whose text starts with `prefix` (e.g. "NOSCRIPT", "BUSYGROUP").
  [[nodiscard]] bool is_error_with_prefix(std::string_view prefix) const noexcept;

  // A short human-readable rendering for diagnostics (long strings are cut).
  [[nodiscard]] std::string describe() const;

  bool operator==(const Reply& other) const = default;

 private:
  [[noreturn]] void throw_mismatch(const char* wanted) const;

  Kind kind_ = Kind::kNil;
  std::int64_t integer_ = 0;
  std::string text_;
  std::vector<Reply> elements_;
};

}  // namespace herald::core::redis
