#include "engine/softmax_kernel.h"

#include <cmath>

namespace s1 {

float max_of(const float* x, int n) {
  float m = x[0];
#pragma omp simd reduction(max : m)
  for (int i = 0; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

float exp_scaled_sum(const float* x, float* out, int n, float shift, float scale) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < n; ++i) {
    float z = (x[i] - shift) * scale;
    z = z > -87.0f ? z : -87.0f;  // the clamps keep infinities out of expf
    z = z < 87.0f ? z : 87.0f;
    out[i] = expf(z);
    sum += out[i];
  }
  return sum;
}

}  // namespace s1
