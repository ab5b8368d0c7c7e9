// sentiment_accuracy: how often the inbox's rule-based sentiment (enrich()) agrees with a labelled
// sample, by default bench/inbox/sentiment_sample.tsv. Not a test: the figure goes to
// bench/RESULTS.md.
//
// Input: one item a line, `label<TAB>text`, label negative, neutral or positive; empty lines and
// lines starting with # are skipped. Prints the accuracy, the confusion matrix (rows: the label,
// columns: what enrich() said) and every item it got wrong.
//
// Usage: sentiment_accuracy SAMPLE.tsv
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "services/inbox/domain/enrichment.hpp"

namespace {

using herald::inbox::Sentiment;

constexpr std::array<Sentiment, 3> kClasses{Sentiment::kNegative, Sentiment::kNeutral, Sentiment::kPositive};

std::optional<Sentiment> parse_label(std::string_view s) {
  for (Sentiment c : kClasses) {
    if (herald::inbox::to_string(c) == s) return c;
  }
  return std::nullopt;
}

std::size_t index_of(Sentiment s) {
  return s == Sentiment::kNegative ? 0 : s == Sentiment::kNeutral ? 1 : 2;
}

struct Miss {
  int line;
  Sentiment label;
  Sentiment got;
  double score;
  std::string text;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " SAMPLE.tsv\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << argv[1] << ": cannot open\n";
    return 2;
  }

  std::array<std::array<int, 3>, 3> matrix{};  // [label][predicted]
  std::vector<Miss> misses;
  int total = 0;
  int bad_lines = 0;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a sample saved on Windows
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    const auto label = tab == std::string::npos ? std::nullopt : parse_label(std::string_view(line).substr(0, tab));
    if (!label) {
      std::cerr << argv[1] << ":" << line_no << ": expected negative|neutral|positive<TAB>text\n";
      ++bad_lines;
      continue;
    }
    const std::string text = line.substr(tab + 1);
    const auto e = herald::inbox::enrich(text);
    ++matrix[index_of(*label)][index_of(e.sentiment)];
    ++total;
    if (e.sentiment != *label) misses.push_back({line_no, *label, e.sentiment, e.sentiment_score, text});
  }
  if (total == 0) {
    std::cerr << argv[1] << ": no labelled items\n";
    return 1;
  }

  const int correct = matrix[0][0] + matrix[1][1] + matrix[2][2];
  std::printf("items     %d\ncorrect   %d\naccuracy  %.1f%%\n\n", total, correct, 100.0 * correct / total);
  std::printf("%-10s %9s %9s %9s   (rows: label, columns: predicted)\n", "", "negative", "neutral", "positive");
  for (Sentiment row : kClasses) {
    const auto& r = matrix[index_of(row)];
    std::printf("%-10s %9d %9d %9d\n", std::string(herald::inbox::to_string(row)).c_str(), r[0], r[1], r[2]);
  }
  if (!misses.empty()) {
    std::printf("\nmisses (line: label -> predicted, score)\n");
    for (const Miss& m : misses) {
      std::printf("  %d: %s -> %s (%+.2f)  %s\n", m.line, std::string(herald::inbox::to_string(m.label)).c_str(),
                  std::string(herald::inbox::to_string(m.got)).c_str(), m.score, m.text.c_str());
    }
  }
  return bad_lines == 0 ? 0 : 1;
}
