#pragma once
// The inbound event generator's content: who writes and what. Deterministic: one SplitMix64
// stream seeded with --seed, consumed in call order, so the same seed and the same sequence of
// /_sandbox/generate calls give the same authors, texts and (through the state store's counters)
// the same ids. Texts mix English and Chinese; about one in four is negative (complaints), so
// sentiment and crisis features have something to find.
#include <cstdint>
#include <mutex>
#include <string>

namespace herald::sandbox {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, fully specified, the same on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, n) (n > 0); the modulo bias is irrelevant at these sizes.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t state_;
};

enum class EventKind { comment, mention, dm };

struct GeneratedEvent {
  std::string author_handle;  // e.g. "lin_wei_482"
  std::string author_name;    // e.g. "Lin Wei"
  std::string text;           // without any @mention: the platform adds it where it belongs
  std::string language;       // "en" or "zh"
  std::string sentiment;      // "positive", "neutral" or "negative"
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}
  // Thread-safe; each call consumes the stream.
  GeneratedEvent next(EventKind kind);

 private:
  std::mutex mutex_;
  SplitMix64 rng_;
};

}  // namespace herald::sandbox
