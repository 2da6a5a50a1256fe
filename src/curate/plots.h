// The `s1 curate select` report: domain histogram and trace-length distribution, as
// markdown and as plots (PLplot: SVG, and PNG through pngcairo).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace s1::curate {

struct SelectionSummary {
  size_t pool_size = 0;
  uint64_t seed = 0;
  std::map<std::string, long> domains;  // selected items per domain
  std::vector<double> pool_lengths;     // trace tokens of every pool item
  std::vector<double> selected_lengths;
};

// Writes the markdown report. Throws std::runtime_error if the file cannot be written.
void write_selection_report(const std::string& path, const SelectionSummary& s);

// Writes <prefix>-domains.{svg,png} (a bar per domain) and <prefix>-lengths.{svg,png}
// (histograms of trace length, pool and selected). PLplot keeps global state: call from
// one thread at a time. Throws std::runtime_error if a file is not written.
void write_selection_plots(const std::string& prefix, const SelectionSummary& s);

}  // namespace s1::curate
