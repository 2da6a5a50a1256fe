// Memory read bandwidth of this machine, for BENCHMARKS.md: token generation on CPU is
// bound by it, so figures from other machines compare through it.
//
//   s1-memory-bandwidth [threads] [MiB]   (defaults: all cores, 1024)
//
// Sums a buffer larger than the caches with `threads` threads, best of 5 passes, and
// prints GB/s (10^9 bytes per second) read.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const unsigned threads = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1]))
                                    : std::max(1u, std::thread::hardware_concurrency());
  const size_t mib = argc > 2 ? static_cast<size_t>(std::atoll(argv[2])) : 1024;
  if (threads < 1 || mib < 64) {
    std::fprintf(stderr, "usage: s1-memory-bandwidth [threads >= 1] [MiB >= 64]\n");
    return 2;
  }
  const size_t n = mib * (1u << 20) / sizeof(uint64_t);
  std::vector<uint64_t> data(n);
  for (size_t i = 0; i < n; ++i) data[i] = i;  // touch every page
  std::vector<uint64_t> sums(threads);
  double best = 0;
  for (int pass = 0; pass < 5; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const size_t begin = n * t / threads, end = n * (t + 1) / threads;
        uint64_t a = 0, b = 0, c = 0, d = 0;
        size_t i = begin;
        for (; i + 4 <= end; i += 4) {
          a += data[i];
          b += data[i + 1];
          c += data[i + 2];
          d += data[i + 3];
        }
        for (; i < end; ++i) a += data[i];
        sums[t] = a + b + c + d;
      });
    }
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(n * sizeof(uint64_t)) / s / 1e9);
  }
  uint64_t check = 0;
  for (uint64_t s : sums) check += s;
  std::printf("%.1f GB/s read (%u threads, %zu MiB; checksum %llu)\n", best, threads, mib,
              static_cast<unsigned long long>(check % 1000));
  return 0;
}
