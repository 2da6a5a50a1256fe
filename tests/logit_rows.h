// Comparing rows of logits from two runs whose KV layouts or batch shapes differ: equal
// within a stated tolerance, not bit for bit (the CPU sums in another order).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace s1::test {

// Logits computed over two KV layouts agree within kRowTolerance * max(1, max |logit|)
// for every logit. The layouts sum attention in different orders (and round through the
// f16 cache differently): on the tiny model the largest difference seen over 120 rows
// is 0.3% of the row's scale; rows after a different prompt differ by far more (checked
// below), so the bound still tells a wrong cell from rounding.
inline constexpr float kRowTolerance = 0.01f;

// The largest |a - b| over two rows.
inline float max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0.0f;
  for (size_t t = 0; t < a.size() && t < b.size(); ++t) worst = std::max(worst, std::fabs(a[t] - b[t]));
  return worst;
}

// Compares two runs' rows of logits step by step, within kRowTolerance. Greedy paths
// agree while the rows do, except where the two best logits
// are closer than that; from the first step the paths part (if any) on, nothing is
// compared. Returns the number of steps compared.
inline size_t expect_rows_close(const std::vector<std::vector<float>>& a,
                         const std::vector<std::vector<float>>& b, const std::string& what) {
  size_t k = 0;
  for (; k < std::min(a.size(), b.size()); ++k) {
    const auto& x = a[k];
    const auto& y = b[k];
    float scale = 1.0f;
    for (float v : x) scale = std::max(scale, std::fabs(v));
    const float worst = max_difference(x, y);
    const float tolerance = kRowTolerance * scale;
    EXPECT_LE(worst, tolerance) << what << ", step " << k;
    if (worst > tolerance) return k;
    const auto best_x = std::max_element(x.begin(), x.end()) - x.begin();
    const auto best_y = std::max_element(y.begin(), y.end()) - y.begin();
    if (best_x != best_y) {
      // Only a near tie may part the paths.
      EXPECT_LE(std::fabs(x[static_cast<size_t>(best_x)] - x[static_cast<size_t>(best_y)]),
                2 * tolerance)
          << what << ", step " << k;
      return k;
    }
  }
  return k;
}

}  // namespace s1::test
