// Server metrics in the Prometheus text exposition format (version 0.0.4): counters
// with labels, gauges, and histograms with fixed buckets.
//
// Threads: every method may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace s1::server {

class Metrics {
 public:
  // Declares a metric (its HELP line); declare before use. `buckets` (upper bounds, in
  // increasing order) only for histograms.
  void declare_counter(const std::string& name, const std::string& help);
  void declare_gauge(const std::string& name, const std::string& help);
  void declare_histogram(const std::string& name, const std::string& help,
                         std::vector<double> buckets);

  // `labels` is the inside of the braces, e.g. `endpoint="chat",status="200"` (the
  // caller escapes values), or empty. Undeclared names throw std::logic_error.
  void add(const std::string& name, double value, const std::string& labels = "");
  void set(const std::string& name, double value, const std::string& labels = "");
  // A counter whose source keeps the count itself (e.g. the scheduler's): its value now.
  void set_total(const std::string& name, double value, const std::string& labels = "");
  void observe(const std::string& name, double value);

  // Current value of a counter or gauge series (0 if never touched), for tests.
  double value(const std::string& name, const std::string& labels = "") const;

  // The whole exposition, metrics in declaration order.
  std::string render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Histogram {
    std::vector<double> bounds;
    std::vector<uint64_t> counts;  // per bucket, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  struct Metric {
    Kind kind;
    std::string help;
    std::map<std::string, double> series;  // labels -> value
    Histogram histogram;
  };
  Metric& get(const std::string& name, Kind kind);

  mutable std::mutex mutex_;
  std::vector<std::string> order_;
  std::map<std::string, Metric> metrics_;
};

// Escapes a label value (backslash, quote, newline).
std::string escape_label(const std::string& value);

}  // namespace s1::server
