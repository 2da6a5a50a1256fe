#include "eval/plot.h"

#include <plplot.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>

namespace s1::eval {
namespace {

// cmap0: 0 background (white), 1 axes and text (black), 2.. the lines.
constexpr int kPalette[][3] = {{255, 255, 255}, {0, 0, 0},       {31, 119, 180},  {255, 127, 14},
                               {44, 160, 44},   {214, 39, 40},   {148, 103, 189}, {140, 86, 75},
                               {227, 119, 194}, {127, 127, 127}, {188, 189, 34},  {23, 190, 207}};
constexpr int kColors = sizeof kPalette / sizeof kPalette[0];

// Tick labels of the log x axis from xmin to xmax (log10 values): the values 1, 2 and 5
// (or 1 to 9) times a power of ten in range, the coarsest set with three or more; decades
// alone when they are many.
std::vector<double> tick_values(double xmin, double xmax) {
  static const std::vector<std::vector<int>> kSets = {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  std::vector<double> values;
  for (const auto& set : kSets) {
    values.clear();
    for (int e = static_cast<int>(std::floor(xmin)); e <= static_cast<int>(std::ceil(xmax)); ++e) {
      for (int m : set) {
        const double v = m * std::pow(10.0, e);
        if (std::log10(v) >= xmin && std::log10(v) <= xmax) values.push_back(v);
      }
    }
    if (values.size() >= 3) break;
  }
  return values;
}

std::string tick_text(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  } else if (v >= 1e4) {
    std::snprintf(buf, sizeof buf, "%gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

bool is_left(Corner c) { return c == Corner::kTopLeft || c == Corner::kBottomLeft; }
bool is_top(Corner c) { return c == Corner::kTopLeft || c == Corner::kTopRight; }

}  // namespace

std::string scaling_plot_title(const std::string& dataset) {
  return dataset + ": accuracy vs. thinking tokens";
}

XRange plot_x_range(const std::vector<PlotLine>& lines) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& l : lines) {
    for (double x : l.compute) {
      const double lx = std::log10(std::max(1.0, x));
      lo = std::min(lo, lx);
      hi = std::max(hi, lx);
    }
  }
  if (!(lo <= hi)) lo = 0, hi = 3;
  // At least a decade wide, with a margin, so single points are not on the frame.
  const double mid = (lo + hi) / 2, half = std::max(0.5, (hi - lo) / 2 + 0.1);
  return {mid - half, mid + half};
}

Corner legend_corner(const std::vector<PlotLine>& lines) {
  const XRange x = plot_x_range(lines);
  size_t shown = 0;
  for (const auto& l : lines) shown += l.compute.empty() ? 0 : 1;
  // The key's size in frame units: a width for its text, a row per line.
  const double width = 0.4, height = 0.06 + 0.08 * static_cast<double>(shown);
  const Corner order[] = {Corner::kTopLeft, Corner::kBottomRight, Corner::kTopRight,
                          Corner::kBottomLeft};
  Corner best = Corner::kTopLeft;
  size_t fewest = SIZE_MAX;
  for (Corner c : order) {
    const bool left = is_left(c), top = is_top(c);
    size_t inside = 0;
    for (const auto& l : lines) {
      for (size_t i = 0; i < l.compute.size() && i < l.accuracy.size(); ++i) {
        const double u = (std::log10(std::max(1.0, l.compute[i])) - x.min) / (x.max - x.min);
        const double v = (100.0 * l.accuracy[i] + 2) / 104;
        inside += ((left ? u <= width : u >= 1 - width) && (top ? v >= 1 - height : v <= height)) ? 1 : 0;
      }
    }
    if (inside < fewest) fewest = inside, best = c;
  }
  return best;
}

namespace {

void draw(const char* device, const std::string& path, const std::string& title,
          const std::vector<PlotLine>& lines) {
  PLINT stream = 0;
  plmkstrm(&stream);
  plsdev(device);
  plsfnam(path.c_str());
  plspage(0, 0, 800, 600, 0, 0);
  plscmap0n(kColors);
  for (int i = 0; i < kColors; ++i) plscol0(i, kPalette[i][0], kPalette[i][1], kPalette[i][2]);
  plinit();

  const XRange range = plot_x_range(lines);
  const double xmin = range.min, xmax = range.max;
  // Labeled points (adaptive rules) are numbered on the plot and listed in a key on the
  // right, where their labels have room; the frame leaves that room.
  size_t labeled = 0;
  for (const auto& l : lines) {
    for (const auto& t : l.point_labels) labeled += t.empty() ? 0 : 1;
  }
  plcol0(1);
  pladv(0);
  plvpor(0.1, labeled > 0 ? 0.7 : 0.95, 0.1, 0.9);
  plwind(xmin, xmax, -2, 102);
  // Log ticks on x with labels of our own (PLplot's log axis labels decades only).
  plbox("bclst", 0, 0, "bcnstv", 0, 0);
  for (double v : tick_values(xmin, xmax)) {
    plmtex("b", 1.5, (std::log10(v) - xmin) / (xmax - xmin), 0.5, tick_text(v).c_str());
  }
  pllab("mean thinking tokens (log scale)", "accuracy (%)", title.c_str());

  std::vector<const char*> texts;
  std::vector<PLINT> opts, colors, styles, symbol_numbers;
  std::vector<PLFLT> widths, symbol_scales;
  std::vector<const char*> symbols;
  int color = 2;
  size_t number = 0;  // labeled points so far: their numbers on the plot and in the key
  for (const auto& l : lines) {
    if (l.compute.empty()) continue;
    struct Point {
      double x, y;
      const std::string* label;
      bool operator<(const Point& o) const { return x < o.x || (x == o.x && y < o.y); }
    };
    std::vector<Point> pts;
    for (size_t i = 0; i < l.compute.size() && i < l.accuracy.size(); ++i) {
      pts.push_back({std::log10(std::max(1.0, l.compute[i])), 100.0 * l.accuracy[i],
                     i < l.point_labels.size() ? &l.point_labels[i] : nullptr});
    }
    std::sort(pts.begin(), pts.end());
    std::vector<PLFLT> xs, ys;
    for (const auto& p : pts) {
      xs.push_back(p.x);
      ys.push_back(p.y);
    }
    // A cross on a line; an open square for unconnected points, so a line's point under
    // one stays visible.
    const char* symbol = l.points_only ? "#(841)" : "#(727)";
    plcol0(color);
    plwidth(2);
    if (!l.points_only) plline(static_cast<PLINT>(xs.size()), xs.data(), ys.data());
    plstring(static_cast<PLINT>(xs.size()), xs.data(), ys.data(), symbol);
    plschr(0, 0.6);
    std::map<std::pair<double, double>, int> at;  // numbers written at each point so far
    for (const auto& p : pts) {
      if (!p.label || p.label->empty()) continue;
      const std::string n = std::to_string(++number);
      // Beside its point, inside the frame; the numbers of one point stacked away from
      // the nearer edge.
      const int row = at[{p.x, p.y}]++;
      const double step = p.y > 50 ? -3.5 : 3.5;
      const bool right_half = p.x > (xmin + xmax) / 2;
      plptex(p.x + (right_half ? -0.02 : 0.02), p.y + 1.0 + step * row, 1, 0,
             right_half ? 1.0 : 0.0, n.c_str());
      // Its line in the key: one row per labeled point, top down.
      const double rows = std::max<double>(static_cast<double>(labeled), 20);
      plmtex("rv", 1.0, 1.0 - (static_cast<double>(number) - 0.5) / rows, 0.0,
             (n + "  " + *p.label).c_str());
    }
    plschr(0, 1.0);
    texts.push_back(l.label.c_str());
    opts.push_back(l.points_only ? PL_LEGEND_SYMBOL : PL_LEGEND_LINE | PL_LEGEND_SYMBOL);
    colors.push_back(color);
    styles.push_back(1);
    widths.push_back(2);
    symbol_numbers.push_back(1);
    symbol_scales.push_back(1);
    symbols.push_back(symbol);
    color = color + 1 < kColors ? color + 1 : 2;
  }
  if (!texts.empty()) {
    plwidth(1);
    PLFLT w = 0, h = 0;
    const PLINT n = static_cast<PLINT>(texts.size());
    std::vector<PLINT> text_colors(texts.size(), 1);
    const Corner corner = legend_corner(lines);
    const PLINT position =
        PL_POSITION_INSIDE |
        (is_top(corner) ? PL_POSITION_TOP : PL_POSITION_BOTTOM) |
        (is_left(corner) ? PL_POSITION_LEFT : PL_POSITION_RIGHT);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, position, 0.02, 0.02, 0.08, 0, 1, 1, 0,
             0, n, opts.data(), 1.0, 0.8, 2.0, 0.0, text_colors.data(), texts.data(), nullptr,
             nullptr, nullptr, nullptr, colors.data(), styles.data(), widths.data(), colors.data(),
             symbol_scales.data(), symbol_numbers.data(), symbols.data());
  }
  plend1();
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    throw std::runtime_error(std::string("PLplot (") + device + ") did not write " + path);
  }
}

}  // namespace

void write_scaling_plot(const std::string& title, const std::vector<PlotLine>& lines,
                        const std::string& path_svg, const std::string& path_png) {
  // PLplot retries a file it cannot open and then aborts the process: open them first.
  for (const std::string* path : {&path_svg, &path_png}) {
    std::FILE* f = std::fopen(path->c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + *path + ": " + std::strerror(errno));
    std::fclose(f);
  }
  draw("svg", path_svg, title, lines);
  draw("pngcairo", path_png, title, lines);
}

}  // namespace s1::eval
