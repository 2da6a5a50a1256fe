#include "server/metrics.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace s1::server {
namespace {

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string series_name(const std::string& name, const std::string& labels) {
  return labels.empty() ? name : name + "{" + labels + "}";
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void Metrics::declare_counter(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (metrics_.emplace(name, Metric{Kind::kCounter, help, {}, {}}).second) order_.push_back(name);
}

void Metrics::declare_gauge(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (metrics_.emplace(name, Metric{Kind::kGauge, help, {}, {}}).second) order_.push_back(name);
}

void Metrics::declare_histogram(const std::string& name, const std::string& help,
                                std::vector<double> buckets) {
  std::lock_guard<std::mutex> lock(mutex_);
  Histogram h;
  h.counts.assign(buckets.size() + 1, 0);  // the last one is +Inf
  h.bounds = std::move(buckets);
  if (metrics_.emplace(name, Metric{Kind::kHistogram, help, {}, std::move(h)}).second) {
    order_.push_back(name);
  }
}

Metrics::Metric& Metrics::get(const std::string& name, Kind kind) {
  const auto it = metrics_.find(name);
  if (it == metrics_.end() || it->second.kind != kind) {
    throw std::logic_error("metric not declared: " + name);
  }
  return it->second;
}

void Metrics::add(const std::string& name, double value, const std::string& labels) {
  std::lock_guard<std::mutex> lock(mutex_);
  get(name, Kind::kCounter).series[labels] += value;
}

void Metrics::set(const std::string& name, double value, const std::string& labels) {
  std::lock_guard<std::mutex> lock(mutex_);
  get(name, Kind::kGauge).series[labels] = value;
}

void Metrics::set_total(const std::string& name, double value, const std::string& labels) {
  std::lock_guard<std::mutex> lock(mutex_);
  get(name, Kind::kCounter).series[labels] = value;
}

void Metrics::observe(const std::string& name, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Histogram& h = get(name, Kind::kHistogram).histogram;
  size_t i = 0;
  while (i < h.bounds.size() && value > h.bounds[i]) ++i;
  ++h.counts[i];
  ++h.count;
  h.sum += value;
}

double Metrics::value(const std::string& name, const std::string& labels) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = metrics_.find(name);
  if (it == metrics_.end()) return 0;
  const auto s = it->second.series.find(labels);
  return s == it->second.series.end() ? 0 : s->second;
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const auto& name : order_) {
    const Metric& m = metrics_.at(name);
    const char* type = m.kind == Kind::kCounter ? "counter"
                       : m.kind == Kind::kGauge ? "gauge"
                                                : "histogram";
    out += "# HELP " + name + " " + m.help + "\n# TYPE " + name + " " + type + "\n";
    if (m.kind == Kind::kHistogram) {
      const Histogram& h = m.histogram;
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h.counts.size(); ++i) {
        cumulative += h.counts[i];
        const std::string le = i < h.bounds.size() ? number(h.bounds[i]) : "+Inf";
        out += name + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
      }
      out += name + "_sum " + number(h.sum) + "\n";
      out += name + "_count " + std::to_string(h.count) + "\n";
      continue;
    }
    // An unlabelled series that was never touched still shows, as 0.
    if (m.series.empty()) out += name + " 0\n";
    for (const auto& [labels, v] : m.series)
      out += series_name(name, labels) + " " + number(v) + "\n";
  }
  return out;
}

}  // namespace s1::server
