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

}  // namespace
}  // namespace s1::eval
