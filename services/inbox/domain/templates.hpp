#pragma once
// Saved replies and FAQ answers (issue #6, "Respond"): the variables a saved text may hold, their
// rendering for one thread, and how close an FAQ question is to what a person asked. Pure.
//
// Variables are written {{name}} (spaces inside the braces allowed): name (the author's display
// name, else their handle), handle (@handle), brand (the brand's name), account (the answering
// account's handle), agent (the person answering). Any other {{...}} is refused when a text is
// saved, so a typo never reaches a customer.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace herald::inbox {

// The variables a saved reply may use, in the order the docs list them.
const std::vector<std::string>& template_variables();

// The {{...}} names in `text`, in order of appearance, each once (trimmed; unknown ones included).
std::vector<std::string> variables_in(std::string_view text);

// The names in `text` that are not template_variables(), in order, each once.
std::vector<std::string> unknown_variables(std::string_view text);

struct Rendered {
  std::string text;
  std::vector<std::string> missing;  // variables with no value for this thread (left out of the text)
};

// Replaces every known {{variable}} with its value from `values` (missing or empty: removed and
// listed in `missing`); unknown ones are left as written.
Rendered render_template(std::string_view text, const std::map<std::string, std::string>& values);

// How alike two questions are, 0 .. 1: the Dice coefficient of their tokens, where a token is a
// lower-cased Latin word or number, or a pair of adjacent CJK characters (a lone CJK character
// is its own token). Punctuation and spaces only separate tokens.
double question_similarity(std::string_view a, std::string_view b);

}  // namespace herald::inbox
