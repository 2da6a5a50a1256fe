// Vectorized loops of temperature sampling over a whole vocabulary. This file pair is
// compiled with -ffast-math so that expf goes through glibc's vector math library
// (libmvec): about eight times faster than scalar expf over a 150k vocabulary, which is
// what a token draw costs next to a batched decode step.
#pragma once

namespace s1 {

// The largest of x[0..n). n >= 1; values may be -inf, not NaN.
float max_of(const float* x, int n);

// out[i] = exp((x[i] - shift) * scale) for i < n, with the exponent clamped to [-87, 87]
// (so -inf inputs give a tiny positive value, never 0, inf or NaN: callers treat such
// tokens themselves); returns the sum of out. scale > 0.
float exp_scaled_sum(const float* x, float* out, int n, float shift, float scale);

}  // namespace s1
