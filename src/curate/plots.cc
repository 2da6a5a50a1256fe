#include "curate/plots.h"

#include <plplot.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

namespace s1::curate {
namespace {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

std::string length_row(const char* name, const std::vector<double>& v) {
  const double mean = v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  char buf[256];
  std::snprintf(buf, sizeof buf, "| %s | %zu | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", name,
                v.size(), quantile(v, 0), quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75),
                quantile(v, 1), mean);
  return buf;
}

// One PLplot stream per file: white background, black ink, blue bars.
void begin(const char* device, const std::string& path) {
  PLINT stream = 0;
  plmkstrm(&stream);
  plsdev(device);
  plsfnam(path.c_str());
  plspage(0, 0, 800, 600, 0, 0);
  plscolbg(255, 255, 255);
  plscol0(1, 0, 0, 0);
  plscol0(2, 31, 119, 180);
  plscol0(3, 255, 127, 14);
  plinit();
}

void end(const std::string& path) {
  plend1();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    throw std::runtime_error("PLplot did not write " + path);
  }
}

void draw_domains(const char* device, const std::string& path, const SelectionSummary& s) {
  begin(device, path);
  const auto n = static_cast<PLINT>(std::max<size_t>(1, s.domains.size()));
  long top = 1;
  for (const auto& [d, c] : s.domains) top = std::max(top, c);
  plcol0(1);
  plenv(0, n, 0, static_cast<double>(top) * 1.1, 0, -2);
  plbox("bc", 0, 0, "bcnt", 0, 0);
  pllab("", "selected questions", "Selected questions per domain");
  int i = 0;
  for (const auto& [d, c] : s.domains) {
    const PLFLT x[] = {i + 0.1, i + 0.1, i + 0.9, i + 0.9};
    const PLFLT y[] = {0, static_cast<double>(c), static_cast<double>(c), 0};
    plcol0(2);
    plfill(4, x, y);
    plcol0(1);
    // Labels under the bars, on two alternating rows so neighbours do not overlap.
    plschr(0, 0.7);
    plmtex("b", i % 2 ? 2.6 : 1.2, (i + 0.5) / n, 0.5, d.substr(0, 14).c_str());
    plschr(0, 1.0);
    ++i;
  }
  end(path);
}

void draw_lengths(const char* device, const std::string& path, const SelectionSummary& s) {
  begin(device, path);
  double hi = 1;
  for (double x : s.pool_lengths) hi = std::max(hi, x);
  const int bins = 30;
  auto counts = [&](const std::vector<double>& v) {
    std::vector<PLFLT> c(bins, 0);
    for (double x : v) c[std::min(bins - 1, static_cast<int>(x / hi * bins))] += 1;
    const double total = std::max<double>(1, static_cast<double>(v.size()));
    for (auto& x : c) x /= total;  // share of items, so pool and selection compare
    return c;
  };
  const auto pool = counts(s.pool_lengths), sel = counts(s.selected_lengths);
  double top = 0.01;
  for (int b = 0; b < bins; ++b) top = std::max({top, pool[b], sel[b]});
  plcol0(1);
  plenv(0, hi, 0, top * 1.1, 0, 0);
  pllab("reasoning trace tokens", "share of questions", "Trace length: pool (blue), selected (orange)");
  std::vector<PLFLT> xs(bins);
  for (int b = 0; b < bins; ++b) xs[b] = hi * b / bins;
  plcol0(2);
  plbin(bins, xs.data(), pool.data(), PL_BIN_DEFAULT);
  plcol0(3);
  plbin(bins, xs.data(), sel.data(), PL_BIN_DEFAULT);
  end(path);
}

}  // namespace

void write_selection_report(const std::string& path, const SelectionSummary& s) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  long total = 0;
  for (const auto& [d, c] : s.domains) total += c;
  out << "# Selection\n\n" << total << " questions chosen from " << s.pool_size
      << " by diversity sampling (a domain uniformly at random, then a question weighted "
         "2^-rank by trace length), seed "
      << s.seed << ".\n\n## Domains\n\n| domain | selected | share |\n| --- | ---: | ---: |\n";
  for (const auto& [d, c] : s.domains) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f%%", total ? 100.0 * static_cast<double>(c) / static_cast<double>(total) : 0.0);
    out << "| " << d << " | " << c << " | " << buf << " |\n";
  }
  out << "\n## Reasoning trace length (tokens)\n\n| set | n | min | p25 | median | p75 | max | mean |\n"
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
      << length_row("pool", s.pool_lengths) << length_row("selected", s.selected_lengths);
  if (!out) throw std::runtime_error("cannot write " + path);
}

void write_selection_plots(const std::string& prefix, const SelectionSummary& s) {
  draw_domains("svg", prefix + "-domains.svg", s);
  draw_domains("pngcairo", prefix + "-domains.png", s);
  draw_lengths("svg", prefix + "-lengths.svg", s);
  draw_lengths("pngcairo", prefix + "-lengths.png", s);
}

}  // namespace s1::curate
