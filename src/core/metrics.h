// The paper's test-time scaling metrics (s1, section 3.2) and the usual accuracy metrics.
//
// All functions are pure and thread-safe. Invalid arguments (empty inputs where a value is
// needed, k out of range, NaN) throw std::invalid_argument with a one-line message.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace s1 {

// One evaluated run at a compute level: `compute` is its mean thinking tokens (the paper's
// a) and `accuracy` its accuracy in [0, 1] (the paper's f(a)).
struct ComputePoint {
  double compute = 0;
  double accuracy = 0;
};

// Control = (1/|A|) * sum over runs a of 1[a_min <= a <= a_max]: the share of runs whose
// thinking compute stays within the bounds (inclusive). Requires a non-empty `compute`
// and a_min <= a_max.
double control(const std::vector<double>& compute, double a_min, double a_max);

// Scaling = (1 / C(|A|, 2)) * sum over pairs with a < b of (f(b) - f(a)) / (b - a): the
// mean slope of the accuracy curve. Pairs with equal compute contribute 0 (they are not
// a < b) but still count in C(|A|, 2), as in the paper's formula. Requires |A| >= 2.
double scaling(const std::vector<ComputePoint>& runs);

// Performance = max over runs of f(a). Requires a non-empty `runs`.
double performance(const std::vector<ComputePoint>& runs);

// A proportion with its Wilson score interval (which, unlike the normal approximation,
// stays within [0, 1] and behaves at 0 and n correct).
struct ProportionEstimate {
  double value = 0;  // correct / total
  double low = 0;
  double high = 0;
};

// Accuracy `correct` / `total` with the Wilson interval for the two-sided normal quantile
// `z` (1.959963984540054 gives 95%). Requires total > 0, correct <= total and z > 0.
ProportionEstimate accuracy_with_interval(size_t correct, size_t total,
                                          double z = 1.959963984540054);

// The unbiased pass@k estimator of Chen et al. (2021) for one problem with `n` samples of
// which `c` are correct: 1 - C(n-c, k) / C(n, k), computed as the stable product
// 1 - prod_{i=n-c+1}^{n} (1 - k/i). Requires 1 <= k <= n and c <= n.
double pass_at_k(size_t n, size_t c, size_t k);

// One sampled answer for majority voting: `key` is the vote key (see answer_key() in
// math_equivalence.h; empty means no answer, an abstention) and `correct` its grade.
struct Vote {
  std::string key;
  bool correct = false;
};

struct MajorityResult {
  std::string key;       // the winning key; empty when every vote abstained
  size_t votes = 0;      // votes for it
  bool correct = false;  // whether the winner is correct (false when all abstained)
};

// Majority vote over the first k votes (all when k exceeds their number). Ties go to the
// key whose first vote comes earliest, so the result depends only on the order of votes.
// Requires k >= 1.
MajorityResult majority_vote(const std::vector<Vote>& votes, size_t k);

// maj@k over problems: the mean of majority_vote(votes, k).correct, one entry per
// problem. Requires a non-empty `problems`.
double maj_at_k(const std::vector<std::vector<Vote>>& problems, size_t k);

struct TokenStats {
  double mean = 0;
  double median = 0;  // the mean of the two middle values for an even count
  double min = 0;
  double max = 0;
};

// Mean, median, min and max of thinking-token counts. Requires a non-empty `tokens`.
TokenStats thinking_token_stats(const std::vector<double>& tokens);

}  // namespace s1
