// The scaling plot's SVG: tick labels of the x axis, and labeled points (adaptive
// configurations) numbered, with their labels in a key.
#include "eval/plot.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace s1::eval {
namespace {

// The SVG's text with PLplot's character references (&#x32;) decoded (ASCII only).
std::string decoded(const std::string& svg) {
  std::string out;
  for (size_t i = 0; i < svg.size(); ++i) {
    const size_t end = svg.compare(i, 3, "&#x") == 0 ? svg.find(';', i) : std::string::npos;
    if (end != std::string::npos && end > i + 3) {
      const unsigned long c = std::stoul(svg.substr(i + 3, end - i - 3), nullptr, 16);
      if (c < 128) {
        out += static_cast<char>(c);
        i = end;
        continue;
      }
    }
    out += svg[i];
  }
  return out;
}

// docs/eval.md's adaptive grid: 16 configurations between 300 and 700 thinking tokens.
TEST(ScalingPlot, AnAdaptiveGridHasTickLabelsAndAKeyOfItsPoints) {
  PlotLine line;
  line.label = "adaptive";
  line.points_only = true;
  for (int i = 0; i < 16; ++i) {
    line.compute.push_back(300 + 25 * i);
    line.accuracy.push_back(0.3 + 0.01 * (i % 4));
    line.point_labels.push_back("N=" + std::to_string(16 << (i % 4)) + " W=" +
                                std::to_string(2 + i / 8) + " tau=0.9" + std::to_string(i % 2));
  }
  const std::string dir = test::temp_dir();
  write_scaling_plot("grid", {line}, dir + "/grid.svg", dir + "/grid.png");
  const std::string svg = decoded(test::read_file(dir + "/grid.svg"));
  // More than one tick label on x: 200, 500 and 1000 at least.
  for (const char* tick : {">200<", ">500<", ">1000<"}) {
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  }
  // Each point's number and label, once, in the key.
  EXPECT_NE(svg.find(">1  N=16 W=2 tau=0.90<"), std::string::npos);
  EXPECT_NE(svg.find(">16  N=128 W=3 tau=0.91<"), std::string::npos);
}

PlotLine curve(const std::string& label, std::vector<double> compute, std::vector<double> accuracy) {
  PlotLine l;
  l.label = label;
  l.compute = std::move(compute);
  l.accuracy = std::move(accuracy);
  return l;
}

// The key goes where it hides the fewest points.
TEST(ScalingPlot, TheKeyTakesTheEmptiestCorner) {
  // A rising curve (caps): the top left is empty.
  EXPECT_EQ(legend_corner({curve("caps", {10, 50, 100, 200, 400}, {0, 0.1, 0.3, 0.6, 0.9})}),
            Corner::kTopLeft);
  // Accuracy falling from the top left (ignored ends) beside a flat high line (majority
  // vote): the bottom right is empty.
  EXPECT_EQ(legend_corner({curve("majority", {270, 550, 1100, 2200, 4400}, {0.85, 0.85, 0.9, 0.92, 0.93}),
                           curve("waits", {270, 360, 450, 600, 700}, {0.92, 0.8, 0.37, 0.005, 0})}),
            Corner::kBottomRight);
  // Points everywhere but the top right.
  EXPECT_EQ(legend_corner({curve("x", {10, 10, 1000}, {0.95, 0.0, 0.0})}), Corner::kTopRight);
  // No points: the first choice.
  EXPECT_EQ(legend_corner({}), Corner::kTopLeft);
}

}  // namespace
}  // namespace s1::eval
