// Position, velocity, acceleration and jerk of rest-to-rest profiles at given times.
//
// Single axis: the time-optimal profile of profile_min_time.hpp, described by its segment
// durations. Only the accelerating half is evaluated directly; the braking half is its mirror
// image, s(t) = d - s_acc(T - t), which keeps both halves exactly symmetric.
//
// Synchronized axes: every axis starts and ends with the move. The move duration T is the
// slowest axis's minimum time t_max; axis i runs its own time-optimal profile slowed down by
// k_i = t_i / T <= 1, i.e. q_i(t) = q0_i + sign_i * s_i(k_i t). Slowing a profile by k scales
// velocity by k, acceleration by k^2 and jerk by k^3, so no axis leaves its limits.
#pragma once

#include <cmath>
#include <cstddef>

#include "profile_min_time.hpp"

namespace cyclecore {

// Shape of one time-optimal single-axis profile (distance d >= 0, positive direction).
struct AxisProfile {
    double distance;    // d
    double duration;    // T (equals min_time(d))
    double t_jerk;      // duration of each jerk ramp
    double t_const_acc; // duration of the constant-acceleration segment
    double peak_acc;    // acceleration reached (<= amax)
    double peak_vel;    // velocity reached (<= vmax)
    double jerk;        // jerk during the ramps (0 for a trapezoid)
    bool cruises;       // has a constant-velocity segment
};

inline AxisProfile axis_profile(double d, const AxisConstants& c) {
    AxisProfile p{};
    p.distance = d;
    p.duration = min_time(d, c);
    if (d <= 0.0) return p;
    const bool trapezoid = std::isinf(c.jmax);
    p.jerk = trapezoid ? 0.0 : c.jmax;
    if (d >= c.d_cruise) {
        p.cruises = true;
        p.peak_vel = c.vmax;
        if (c.amax_reachable) {
            p.t_jerk = c.t_ramp;
            p.peak_acc = c.amax;
            p.t_const_acc = c.vmax / c.amax - c.t_ramp;
        } else {
            p.t_jerk = std::sqrt(c.vmax / c.jmax);
            p.peak_acc = c.jmax * p.t_jerk;
            p.t_const_acc = 0.0;
        }
    } else if (d >= c.d_amax) {
        p.t_jerk = c.t_ramp;
        p.peak_acc = c.amax;
        p.t_const_acc = 0.5 * p.duration - 2.0 * c.t_ramp;
        if (p.t_const_acc < 0.0) p.t_const_acc = 0.0;  // rounding at the case boundary
        p.peak_vel = c.amax * (p.t_jerk + p.t_const_acc);
    } else {
        p.t_jerk = 0.25 * p.duration;
        p.peak_acc = c.jmax * p.t_jerk;
        p.t_const_acc = 0.0;
        p.peak_vel = p.peak_acc * p.t_jerk;
    }
    return p;
}

struct AxisState {
    double s, v, a, j;
};

// State of the accelerating half (and the cruise after it) at time u >= 0.
inline AxisState accelerating_half(const AxisProfile& p, double u) {
    const double tj = p.t_jerk, ta = p.t_const_acc, jr = p.jerk, ap = p.peak_acc;
    if (u < tj) {  // never true for a trapezoid (tj = 0)
        return {jr * u * u * u / 6.0, 0.5 * jr * u * u, jr * u, jr};
    }
    // End of the first ramp.
    const double v1 = 0.5 * ap * tj, s1 = ap * tj * tj / 6.0;
    if (u <= tj + ta) {
        const double w = u - tj;
        return {s1 + v1 * w + 0.5 * ap * w * w, v1 + ap * w, ap, 0.0};
    }
    const double v2 = v1 + ap * ta, s2 = s1 + v1 * ta + 0.5 * ap * ta * ta;
    if (u < 2.0 * tj + ta) {
        const double w = u - tj - ta;
        return {s2 + v2 * w + 0.5 * ap * w * w - jr * w * w * w / 6.0,
                v2 + ap * w - 0.5 * jr * w * w, ap - jr * w, -jr};
    }
    // Cruise at the peak velocity. Without a cruise segment only rounding of the midpoint lands
    // here, where the jerk of the last ramp continues into the braking half.
    const double th = 2.0 * tj + ta;
    const double s3 = s2 + v2 * tj + 0.5 * ap * tj * tj - (tj > 0.0 ? jr * tj * tj * tj / 6.0 : 0.0);
    return {s3 + p.peak_vel * (u - th), p.peak_vel, 0.0, p.cruises ? 0.0 : -jr};
}

// State of the profile at time u in [0, duration]; outside, the axis is at rest at an end.
inline AxisState axis_state(const AxisProfile& p, double u) {
    if (p.distance <= 0.0 || u <= 0.0) return {0.0, 0.0, 0.0, 0.0};
    if (u >= p.duration) return {p.distance, 0.0, 0.0, 0.0};
    if (u <= 0.5 * p.duration) return accelerating_half(p, u);
    const AxisState m = accelerating_half(p, p.duration - u);
    return {p.distance - m.s, m.v, -m.a, m.j};
}

// Synchronized rest-to-rest move of `dof` axes sampled at `n_times` times (s).
// Outputs are row-major (n_times, dof). Returns the move duration T (s) at speed_override 1.
// Times are in the overridden clock: with override s, the move lasts T / s and the profile is
// the unit-override profile evaluated at t * s (velocity scaled by s, acceleration by s^2, ...).
inline double sample_synchronized(const double* q0, const double* q1, const AxisConstants* c,
                                  std::size_t dof, const double* times, std::size_t n_times,
                                  double speed_override, double* pos, double* vel, double* acc,
                                  double* jerk, AxisProfile* scratch) {
    double t_move = 0.0;
    for (std::size_t i = 0; i < dof; ++i) {
        scratch[i] = axis_profile(std::fabs(q1[i] - q0[i]), c[i]);
        if (scratch[i].duration > t_move) t_move = scratch[i].duration;
    }
    const double t_end = t_move / speed_override;
    for (std::size_t k = 0; k < n_times; ++k) {
        const double t = times[k];
        for (std::size_t i = 0; i < dof; ++i) {
            const std::size_t o = k * dof + i;
            const AxisProfile& p = scratch[i];
            if (t >= t_end || p.distance <= 0.0) {
                // Exactly at the target once the move is over; a still axis never moves.
                pos[o] = (t >= t_end) ? q1[i] : q0[i];
                vel[o] = acc[o] = jerk[o] = 0.0;
                continue;
            }
            const double sign = q1[i] >= q0[i] ? 1.0 : -1.0;
            const double ks = p.duration / t_move * speed_override;  // time scale of this axis
            const AxisState st = axis_state(p, t * ks);
            pos[o] = q0[i] + sign * st.s;
            vel[o] = sign * st.v * ks;
            acc[o] = sign * st.a * ks * ks;
            jerk[o] = sign * st.j * ks * ks * ks;
        }
    }
    return t_move;
}

}  // namespace cyclecore
