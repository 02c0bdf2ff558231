// A port of fdlibm's e_log.c and e_pow.c, the algorithms V8 (and so Node.js) runs for Math.log and
// Math.pow. Every operation and constant follows fdlibm so that results agree to the last bit.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
//
// This file must be compiled without floating-point contraction (no fused multiply-add): see
// bench/CMakeLists.txt.
#include "bench/gen/js_math.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace lodestone::bench::jsmath {
namespace {

uint64_t Bits(double d) { return std::bit_cast<uint64_t>(d); }
int32_t High(double d) { return static_cast<int32_t>(static_cast<uint32_t>(Bits(d) >> 32)); }
uint32_t Low(double d) { return static_cast<uint32_t>(Bits(d)); }
double FromWords(uint32_t hi, uint32_t lo) { return std::bit_cast<double>((uint64_t{hi} << 32) | lo); }
double SetHigh(double d, int32_t hi) { return FromWords(static_cast<uint32_t>(hi), Low(d)); }
double SetLow(double d, uint32_t lo) { return FromWords(static_cast<uint32_t>(High(d)), lo); }

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double Log(double x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 3fe62e42 fee00000
  constexpr double ln2_lo = 1.90821492927058770002e-10;  // 3dea39ef 35793c76
  constexpr double two54 = 1.80143985094819840000e+16;   // 43500000 00000000
  constexpr double Lg1 = 6.666666666666735130e-01;       // 3FE55555 55555593
  constexpr double Lg2 = 3.999999999940941908e-01;       // 3FD99999 9997FA04
  constexpr double Lg3 = 2.857142874366239149e-01;       // 3FD24924 94229359
  constexpr double Lg4 = 2.222219843214978396e-01;       // 3FCC71C5 1D8E78AF
  constexpr double Lg5 = 1.818357216161805012e-01;       // 3FC74664 96CB03DE
  constexpr double Lg6 = 1.531383769920937332e-01;       // 3FC39A09 D078C69F
  constexpr double Lg7 = 1.479819860511658591e-01;       // 3FC2F112 DF3E5244

  int32_t hx = High(x);
  uint32_t lx = Low(x);
  int32_t k = 0;
  if (hx < 0x00100000) {  // x < 2^-1022
    if (((hx & 0x7fffffff) | static_cast<int32_t>(lx)) == 0) return -kInf;
    if (hx < 0) return kNaN;
    k -= 54;
    x *= two54;  // subnormal: scale up
    hx = High(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  int32_t i = (hx + 0x95f64) & 0x100000;
  x = SetHigh(x, hx | (i ^ 0x3ff00000));  // normalise x or x/2
  k += (i >> 20);
  double f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {  // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      double dk = static_cast<double>(k);
      return dk * ln2_hi + dk * ln2_lo;
    }
    double R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    double dk = static_cast<double>(k);
    return dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  double s = f / (2.0 + f);
  double dk = static_cast<double>(k);
  double z = s * s;
  i = hx - 0x6147a;
  double w = z * z;
  int32_t j = 0x6b851 - hx;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  double R = t2 + t1;
  if (i > 0) {
    double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

double Pow(double x, double y) {
  constexpr double bp[] = {1.0, 1.5};
  constexpr double dp_h[] = {0.0, 5.84962487220764160156e-01};  // 0x3FE2B803, 0x40000000
  constexpr double dp_l[] = {0.0, 1.35003920212974897128e-08};  // 0x3E4CFDEB, 0x43CFD006
  constexpr double zero = 0.0, one = 1.0, two = 2.0;
  constexpr double two53 = 9007199254740992.0;  // 0x43400000, 0x00000000
  constexpr double huge = 1.0e300, tiny = 1.0e-300;
  // polynomial coefficients for (3/2)*(log(x)-2s-2/3*s**3)
  constexpr double L1 = 5.99999999999994648725e-01;       // 0x3FE33333, 0x33333303
  constexpr double L2 = 4.28571428578550184252e-01;       // 0x3FDB6DB6, 0xDB6FABFF
  constexpr double L3 = 3.33333329818377432918e-01;       // 0x3FD55555, 0x518F264D
  constexpr double L4 = 2.72728123808534006489e-01;       // 0x3FD17460, 0xA91D4101
  constexpr double L5 = 2.30660745775561754067e-01;       // 0x3FCD864A, 0x93C9DB65
  constexpr double L6 = 2.06975017800338417784e-01;       // 0x3FCA7E28, 0x4A454EEF
  constexpr double P1 = 1.66666666666666019037e-01;       // 0x3FC55555, 0x5555553E
  constexpr double P2 = -2.77777777770155933842e-03;      // 0xBF66C16C, 0x16BEBD93
  constexpr double P3 = 6.61375632143793436117e-05;       // 0x3F11566A, 0xAF25DE2C
  constexpr double P4 = -1.65339022054652515390e-06;      // 0xBEBBBD41, 0xC5D26BF1
  constexpr double P5 = 4.13813679705723846039e-08;       // 0x3E663769, 0x72BEA4D0
  constexpr double lg2 = 6.93147180559945286227e-01;      // 0x3FE62E42, 0xFEFA39EF
  constexpr double lg2_h = 6.93147182464599609375e-01;    // 0x3FE62E43, 0x00000000
  constexpr double lg2_l = -1.90465429995776804525e-09;   // 0xBE205C61, 0x0CA86C39
  constexpr double ovt = 8.0085662595372944372e-0017;     // -(1024-log2(ovfl+.5ulp))
  constexpr double cp = 9.61796693925975554329e-01;       // 0x3FEEC709, 0xDC3A03FD = 2/(3ln2)
  constexpr double cp_h = 9.61796700954437255859e-01;     // 0x3FEEC709, 0xE0000000 = (float)cp
  constexpr double cp_l = -7.02846165095275826516e-09;    // 0xBE3E2FE0, 0x145B01F5 = tail of cp_h
  constexpr double ivln2 = 1.44269504088896338700e+00;    // 0x3FF71547, 0x652B82FE = 1/ln2
  constexpr double ivln2_h = 1.44269502162933349609e+00;  // 0x3FF71547, 0x60000000 = 24b 1/ln2
  constexpr double ivln2_l = 1.92596299112661746887e-08;  // 0x3E54AE0B, 0xF85DDF44 = 1/ln2 tail

  const int32_t hx = High(x), hy = High(y);
  const uint32_t lx = Low(x), ly = Low(y);
  int32_t ix = hx & 0x7fffffff;
  const int32_t iy = hy & 0x7fffffff;

  if ((iy | static_cast<int32_t>(ly)) == 0) return one;  // x**0 = 1
  if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lx != 0) || iy > 0x7ff00000 || (iy == 0x7ff00000 && ly != 0)) {
    return x + y;  // NaN
  }

  // yisint: 0 y is not an integer, 1 y is an odd integer, 2 y is an even integer (only when x < 0)
  int32_t yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yisint = 2;
    } else if (iy >= 0x3ff00000) {
      int32_t e = (iy >> 20) - 0x3ff;
      if (e > 20) {
        int32_t jj = static_cast<int32_t>(ly >> (52 - e));
        if (static_cast<uint32_t>(jj) << (52 - e) == ly) yisint = 2 - (jj & 1);
      } else if (ly == 0) {
        int32_t jj = iy >> (20 - e);
        if ((jj << (20 - e)) == iy) yisint = 2 - (jj & 1);
      }
    }
  }

  if (ly == 0) {
    if (iy == 0x7ff00000) {                                                   // y is +-inf
      if (((ix - 0x3ff00000) | static_cast<int32_t>(lx)) == 0) return y - y;  // JS: (+-1)**+-inf is NaN
      if (ix >= 0x3ff00000) return hy >= 0 ? y : zero;
      return hy < 0 ? -y : zero;
    }
    if (iy == 0x3ff00000) return hy < 0 ? one / x : x;     // y is +-1
    if (hy == 0x40000000) return x * x;                    // y is 2
    if (hy == 0x3fe00000 && hx >= 0) return std::sqrt(x);  // y is 0.5, x >= +0
  }

  double ax = std::fabs(x);
  if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) {  // x is +-0, +-inf, +-1
    double z = ax;
    if (hy < 0) z = one / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) == 0) {
        z = kNaN;  // (-1)**non-integer
      } else if (yisint == 1) {
        z = -z;
      }
    }
    return z;
  }

  int32_t n = (hx >> 31) + 1;
  if ((n | yisint) == 0) return kNaN;  // (x<0)**(non-integer)
  double s = one;
  if ((n | (yisint - 1)) == 0) s = -one;  // (-ve)**(odd integer)

  double t1, t2;
  if (iy > 0x41e00000) {    // |y| > 2^31
    if (iy > 0x43f00000) {  // |y| > 2^64: must overflow or underflow
      if (ix <= 0x3fefffff) return hy < 0 ? huge * huge : tiny * tiny;
      if (ix >= 0x3ff00000) return hy > 0 ? huge * huge : tiny * tiny;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * huge * huge : s * tiny * tiny;
    if (ix > 0x3ff00000) return hy > 0 ? s * huge * huge : s * tiny * tiny;
    // |1-x| <= 2^-20: log(x) by x-x^2/2+x^3/3-x^4/4
    double t = ax - one;
    double w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    double u = ivln2_h * t;
    double v = t * ivln2_l - w * ivln2;
    t1 = SetLow(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {  // subnormal x
      ax *= two53;
      n -= 53;
      ix = High(ax);
    }
    n += (ix >> 20) - 0x3ff;
    int32_t j = ix & 0x000fffff;
    ix = j | 0x3ff00000;  // normalise ix
    int k;
    if (j <= 0x3988E) {
      k = 0;  // |x| < sqrt(3/2)
    } else if (j < 0xBB67A) {
      k = 1;  // |x| < sqrt(3)
    } else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = SetHigh(ax, ix);

    // ss = s_h + s_l = (x-1)/(x+1) or (x-1.5)/(x+1.5)
    double u = ax - bp[k];
    double v = one / (ax + bp[k]);
    double ss = u * v;
    double s_h = SetLow(ss, 0);
    double t_h = SetHigh(zero, ((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18));
    double t_l = ax - (t_h - bp[k]);
    double s_l = v * ((u - s_h * t_h) - s_h * t_l);
    // log(ax)
    double s2 = ss * ss;
    double r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += s_l * (s_h + ss);
    s2 = s_h * s_h;
    t_h = SetLow(3.0 + s2 + r, 0);
    t_l = r - ((t_h - 3.0) - s2);
    // u + v = ss * (1 + ...)
    u = s_h * t_h;
    v = s_l * t_h + t_l * ss;
    // 2/(3 log2) * (ss + ...)
    double p_h = SetLow(u + v, 0);
    double p_l = v - (p_h - u);
    double z_h = cp_h * p_h;
    double z_l = cp_l * p_h + p_l * cp + dp_l[k];
    // log2(ax) = (ss + ...) * 2/(3 log2) = n + dp_h + z_h + z_l
    double t = static_cast<double>(n);
    t1 = SetLow(((z_h + z_l) + dp_h[k]) + t, 0);
    t2 = z_l - (((t1 - t) - dp_h[k]) - z_h);
  }

  // (y1 + y2) * (t1 + t2)
  double y1 = SetLow(y, 0);
  double p_l = (y - y1) * t1 + y * t2;
  double p_h = y1 * t1;
  double z = p_l + p_h;
  int32_t j = High(z);
  int32_t i = static_cast<int32_t>(Low(z));
  if (j >= 0x40900000) {  // z >= 1024
    if (((j - 0x40900000) | i) != 0) return s * huge * huge;
    if (p_l + ovt > z - p_h) return s * huge * huge;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {  // z <= -1075
    if ((static_cast<int32_t>(static_cast<uint32_t>(j) - 0xc090cc00u) | i) != 0) return s * tiny * tiny;
    if (p_l <= z - p_h) return s * tiny * tiny;
  }
  // 2**(p_h + p_l)
  i = j & 0x7fffffff;
  int32_t k = (i >> 20) - 0x3ff;
  n = 0;
  if (i > 0x3fe00000) {  // |z| > 0.5: n = [z + 0.5]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    double t = SetHigh(zero, n & ~(0x000fffff >> k));
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    p_h -= t;
  }
  double t = SetLow(p_l + p_h, 0);
  double u = t * lg2_h;
  double v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
  z = u + v;
  double w = v - (z - u);
  t = z * z;
  t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  double r = (z * t1) / ((t1 - two) - (w + z * w));
  z = one - (r - z);
  j = High(z);
  j += static_cast<int32_t>(static_cast<uint32_t>(n) << 20);
  if ((j >> 20) <= 0) {
    z = std::scalbn(z, n);  // subnormal result
  } else {
    z = SetHigh(z, High(z) + static_cast<int32_t>(static_cast<uint32_t>(n) << 20));
  }
  return s * z;
}

}  // namespace lodestone::bench::jsmath
