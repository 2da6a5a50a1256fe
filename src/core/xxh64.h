// XXH64 (Yann Collet's xxHash, 64-bit): a fast non-cryptographic hash, here to tell
// files apart by content (e.g. two models of the same size) at the speed of reading
// them. Output is bit-identical to the reference XXH64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace s1 {

// Streaming XXH64. Not thread-safe; cheap to copy.
class Xxh64 {
 public:
  explicit Xxh64(uint64_t seed = 0);
  // Adds `size` bytes at `data`.
  void update(const void* data, size_t size);
  // The hash of everything added so far (more may be added after).
  uint64_t digest() const;

 private:
  uint64_t v_[4];
  uint64_t seed_;
  uint64_t total_ = 0;
  unsigned char buffer_[32];
  size_t buffered_ = 0;
};

// XXH64 of `size` bytes at `data`.
uint64_t xxh64(const void* data, size_t size, uint64_t seed = 0);

// XXH64 of every byte of the file at `path`, read in large blocks. Throws
// std::runtime_error if it cannot be opened or read.
uint64_t xxh64_file(const std::string& path);

// 16 lowercase hex digits.
std::string hex64(uint64_t value);

}  // namespace s1
