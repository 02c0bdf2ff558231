// Math.log and Math.pow exactly as Node.js (V8) computes them, so that the C++ generator draws the same
// numbers as bench/peers/gen.mjs. V8 does not call the C library for these: it carries ports of fdlibm's
// e_log.c and e_pow.c, whose last bits differ from glibc's log and pow for a few percent of arguments
// (measured: ~7% of log(1 - u), ~10% of pow(u, 2.5) over mulberry32 draws). Those differences would
// move Math.floor() across an integer now and then and change the generated graph.
#pragma once

namespace lodestone::bench::jsmath {

// Math.log(x): fdlibm __ieee754_log.
double Log(double x);
// Math.pow(x, y): fdlibm __ieee754_pow (V8's "legacy" pow, the one Node.js 20 uses).
double Pow(double x, double y);

}  // namespace lodestone::bench::jsmath
