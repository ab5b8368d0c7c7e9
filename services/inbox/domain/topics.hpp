#pragma once
// The words people write about most (issue #6, "Insight"): terms counted once per message, so a
// word repeated in one message does not outweigh one written by many. A term is a lower-cased
// Latin word of three letters or more that is not a function word, or a pair of adjacent CJK
// characters (Chinese is not segmented; a pair that crosses a word boundary is rarely frequent)
// without a particle in it. @handles and links are left out. Pure.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::inbox {

std::vector<std::string> topic_terms(std::string_view text);

// The `n` terms found in the most messages, most first (ties: alphabetical), with their counts.
std::vector<std::pair<std::string, int>> top_terms(const std::vector<std::string>& texts, std::size_t n);

}  // namespace herald::inbox
