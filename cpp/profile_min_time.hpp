// Minimum duration of a single-axis rest-to-rest move.
//
// An axis that starts and ends at rest, with |v| <= vmax, |a| <= amax, |j| <= jmax, moves a
// distance d fastest with the symmetric "7-segment" profile: jerk +j, 0, -j to accelerate,
// an optional cruise at the peak velocity, then the mirror image to stop. Which segments exist
// depends only on d, so the minimum time has a closed form with three cases:
//
//   1. cruise at vmax          (d >= d_cruise):  T = d / vmax + t_to_vmax
//   2. no cruise, amax reached (d >= d_amax):    T = a/j + sqrt((a/j)^2 + 4 d / a)
//   3. neither reached         (d <  d_amax):    T = 4 cbrt(d / (2 j))
//
// where t_to_vmax is the time to go from rest to vmax (v/a + a/j if amax is reachable on the
// way, i.e. v j >= a^2, else 2 sqrt(v/j)), d_cruise = vmax * t_to_vmax, and
// d_amax = 2 a^3 / j^2 (set to d_cruise when vmax is reached before amax: then case 3 covers
// everything below d_cruise).
//
// The trapezoid (jmax = +inf) is the same formula with a/j = 0: case 3 never triggers
// (d_amax = 0) and case 2 becomes T = 2 sqrt(d / a). No separate code path, so both
// modes share one set of tested lines.
//
// Everything that depends only on the limits is computed once in AxisConstants, so the
// per-move work is a comparison or two and one multiply-add or square root.
#pragma once

#include <cmath>
#include <limits>

namespace cyclecore {

struct AxisLimits {
    double vmax;  // rad/s (or m/s)
    double amax;  // rad/s^2
    double jmax;  // rad/s^3, may be +inf (trapezoid)
};

// Quantities that depend only on the limits of one axis.
struct AxisConstants {
    double inv_vmax;      // 1 / vmax
    double t_ramp;        // a / j: duration of one jerk ramp at full acceleration (0 for jmax = inf)
    double t_ramp_sq;     // (a / j)^2
    double four_over_a;   // 4 / a
    double half_over_j;   // 1 / (2 j)
    double t_to_vmax;     // time from rest to vmax
    double d_cruise;      // shortest distance whose optimal profile cruises at vmax
    double d_amax;        // shortest distance whose profile reaches amax or vmax (cases 1-2)
    double t_small_bound; // upper bound of min_time(d) over case 3 (d < d_amax)
    double vmax, amax, jmax;
    bool amax_reachable;  // v j >= a^2: amax is reached on the way to vmax
};

inline AxisConstants axis_constants(const AxisLimits& lim) {
    AxisConstants c;
    const double v = lim.vmax, a = lim.amax, j = lim.jmax;
    c.vmax = v;
    c.amax = a;
    c.jmax = j;
    c.inv_vmax = 1.0 / v;
    c.t_ramp = a / j;  // 0 when j = inf
    c.t_ramp_sq = c.t_ramp * c.t_ramp;
    c.four_over_a = 4.0 / a;
    c.half_over_j = 0.5 / j;
    c.amax_reachable = v * j >= a * a;
    if (c.amax_reachable) {
        c.t_to_vmax = v / a + c.t_ramp;
        c.d_amax = 2.0 * a * c.t_ramp_sq;  // 2 a^3 / j^2
    } else {
        c.t_to_vmax = 2.0 * std::sqrt(v / j);
    }
    c.d_cruise = v * c.t_to_vmax;
    // vmax reached before amax: below d_cruise there is only case 3.
    if (!c.amax_reachable) c.d_amax = c.d_cruise;
    // Case 3 ends where case 2 or case 1 begins; its longest time is there. The tiny margin
    // keeps the bound an upper bound despite rounding in cbrt.
    c.t_small_bound = std::isinf(j) ? 0.0 : 4.0 * std::cbrt(c.d_amax * c.half_over_j) * (1.0 + 1e-12);
    return c;
}

// Case 1 and case 2 (d >= d_amax).
inline double min_time_large(double d, const AxisConstants& c) {
    if (d >= c.d_cruise) return d * c.inv_vmax + c.t_to_vmax;
    return c.t_ramp + std::sqrt(c.t_ramp_sq + d * c.four_over_a);
}

// Case 3 (d < d_amax): neither vmax nor amax is reached.
inline double min_time_small(double d, const AxisConstants& c) {
    return 4.0 * std::cbrt(d * c.half_over_j);
}

// Minimum rest-to-rest duration (s) for a distance d >= 0. Zero distance gives exactly 0.
inline double min_time(double d, const AxisConstants& c) {
    return d >= c.d_amax ? min_time_large(d, c) : min_time_small(d, c);
}

}  // namespace cyclecore
