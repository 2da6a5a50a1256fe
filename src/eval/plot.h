// The scaling plot (s1, figures 1 and 4): accuracy against mean thinking tokens, one line
// per method, log-scale x. Drawn with PLplot (svg driver; pngcairo for PNG).
//
// Threads: PLplot keeps global state; call from one thread at a time.
#pragma once

#include <string>
#include <vector>

namespace s1::eval {

struct PlotLine {
  std::string label;
  std::vector<double> compute;   // x: mean thinking tokens (values below 1 are drawn at 1)
  std::vector<double> accuracy;  // y: in [0, 1], drawn as percent
  // Unconnected points (configurations that are not a curve, e.g. adaptive thinking's
  // rules), each written beside its point when `point_labels` has one for it.
  bool points_only = false;
  std::vector<std::string> point_labels;
};

// The x range drawn (log10 of mean thinking tokens): the points' range, at least a decade
// wide, with a margin.
struct XRange {
  double min = 0, max = 3;
};
XRange plot_x_range(const std::vector<PlotLine>& lines);

// Where the key of the lines goes inside the frame: the corner whose area, as large as
// the key, holds the fewest points (ties: top left, bottom right, top right, bottom
// left), so the key hides as little as it can.
enum class Corner { kTopLeft, kBottomRight, kTopRight, kBottomLeft };
Corner legend_corner(const std::vector<PlotLine>& lines);

// The scaling plot's title for a dataset, e.g. "aime24: accuracy vs. thinking tokens".
std::string scaling_plot_title(const std::string& dataset);

// Writes `path_svg` and `path_png` (800 x 600). Lines without points are left out; with
// no point at all an empty frame is drawn. Points-only lines use another marker. The x
// axis is labeled at 1-2-5 (or 1 to 9) times powers of ten, three labels or more.
// Labeled points are numbered beside the point and listed, number and label, in a key
// right of the frame. Throws std::runtime_error if a file cannot be opened for writing
// (before PLplot runs: it would abort the process) or PLplot did not write it.
void write_scaling_plot(const std::string& title, const std::vector<PlotLine>& lines,
                        const std::string& path_svg, const std::string& path_png);

}  // namespace s1::eval
