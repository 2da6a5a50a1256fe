#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace s1 {
namespace {

void require(bool condition, const char* message) {
  if (!condition) throw std::invalid_argument(message);
}

}  // namespace

double control(const std::vector<double>& compute, double a_min, double a_max) {
  require(!compute.empty(), "control: no runs");
  require(a_min <= a_max, "control: a_min must not exceed a_max");
  size_t within = 0;
  for (double a : compute) {
    require(!std::isnan(a), "control: compute is NaN");
    if (a >= a_min && a <= a_max) ++within;
  }
  return static_cast<double>(within) / static_cast<double>(compute.size());
}

double scaling(const std::vector<ComputePoint>& runs) {
  require(runs.size() >= 2, "scaling: needs at least two runs");
  double total = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (size_t j = i + 1; j < runs.size(); ++j) {
      const ComputePoint* a = &runs[i];
      const ComputePoint* b = &runs[j];
      if (a->compute == b->compute) continue;
      if (a->compute > b->compute) std::swap(a, b);
      total += (b->accuracy - a->accuracy) / (b->compute - a->compute);
    }
  }
  double pairs = static_cast<double>(runs.size()) * static_cast<double>(runs.size() - 1) / 2;
  return total / pairs;
}

double performance(const std::vector<ComputePoint>& runs) {
  require(!runs.empty(), "performance: no runs");
  double best = runs.front().accuracy;
  for (const ComputePoint& run : runs) best = std::max(best, run.accuracy);
  return best;
}

ProportionEstimate accuracy_with_interval(size_t correct, size_t total, double z) {
  require(total > 0, "accuracy: total must be positive");
  require(correct <= total, "accuracy: correct exceeds total");
  require(z > 0, "accuracy: z must be positive");
  double n = static_cast<double>(total);
  double p = static_cast<double>(correct) / n;
  double z2 = z * z;
  double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  ProportionEstimate estimate;
  estimate.value = p;
  estimate.low = std::max(0.0, center - half);
  estimate.high = std::min(1.0, center + half);
  return estimate;
}

double pass_at_k(size_t n, size_t c, size_t k) {
  require(k >= 1 && k <= n, "pass@k: k must be in [1, n]");
  require(c <= n, "pass@k: c exceeds n");
  if (n - c < k) return 1.0;
  double fail = 1.0;
  for (size_t i = n - c + 1; i <= n; ++i) {
    fail *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  }
  return 1.0 - fail;
}

MajorityResult majority_vote(const std::vector<Vote>& votes, size_t k) {
  require(k >= 1, "maj@k: k must be at least 1");
  size_t limit = std::min(k, votes.size());
  std::unordered_map<std::string, size_t> counts;
  MajorityResult best;
  size_t best_first = 0;
  std::unordered_map<std::string, size_t> first_index;
  for (size_t i = 0; i < limit; ++i) {
    const Vote& vote = votes[i];
    if (vote.key.empty()) continue;
    size_t count = ++counts[vote.key];
    size_t first = first_index.emplace(vote.key, i).first->second;
    if (count > best.votes || (count == best.votes && first < best_first)) {
      best.key = vote.key;
      best.votes = count;
      best.correct = votes[first].correct;
      best_first = first;
    }
  }
  return best;
}

double maj_at_k(const std::vector<std::vector<Vote>>& problems, size_t k) {
  require(!problems.empty(), "maj@k: no problems");
  size_t correct = 0;
  for (const std::vector<Vote>& votes : problems) {
    if (majority_vote(votes, k).correct) ++correct;
  }
  return static_cast<double>(correct) / static_cast<double>(problems.size());
}

TokenStats thinking_token_stats(const std::vector<double>& tokens) {
  require(!tokens.empty(), "thinking tokens: no values");
  std::vector<double> sorted = tokens;
  std::sort(sorted.begin(), sorted.end());
  TokenStats stats;
  double sum = 0;
  for (double t : sorted) sum += t;
  stats.mean = sum / static_cast<double>(sorted.size());
  size_t mid = sorted.size() / 2;
  stats.median = sorted.size() % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  stats.min = sorted.front();
  stats.max = sorted.back();
  return stats;
}

}  // namespace s1
