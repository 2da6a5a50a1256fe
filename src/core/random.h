// A small, fixed pseudo-random generator: the same sequence on every platform and
// standard library (std::mt19937 is fixed too, but its distributions are not), so seeded
// results (test models, data selection) reproduce everywhere.
#pragma once

#include <cstdint>

namespace s1 {

// splitmix64 (Steele, Lea and Flood, 2014). Not thread-safe; cheap to copy.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace s1
