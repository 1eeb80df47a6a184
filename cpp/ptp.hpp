// Synchronized point-to-point (PTP) moves, in bulk.
//
// A rest-to-rest PTP move of several axes is time-optimal when it lasts exactly as long as its
// slowest axis alone would: every other axis can always be stretched to that duration (see
// profile_sample.hpp). So the move duration is max_i min_time(|q1_i - q0_i|), and a speed
// override s (v*s, a*s^2, j*s^3: pure time scaling) divides it by s.
//
// Everything here is a plain loop over contiguous row-major arrays; the per-axis constants are
// computed once per limit set, so a 6-axis move costs six cheap closed forms and a max.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "profile_min_time.hpp"

namespace cyclecore {

// Per-axis constants for `n_sets` limit sets of `dof` axes (row-major (n_sets, dof) inputs).
inline std::vector<AxisConstants> limit_constants(const double* vmax, const double* amax,
                                                  const double* jmax, std::size_t n_sets,
                                                  std::size_t dof) {
    std::vector<AxisConstants> c(n_sets * dof);
    for (std::size_t k = 0; k < n_sets * dof; ++k) c[k] = axis_constants({vmax[k], amax[k], jmax[k]});
    return c;
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Duration (s, unit override) of one synchronized move; NaN if a joint value is not finite.
inline double ptp_duration(const double* q0, const double* q1, const AxisConstants* c,
                           std::size_t dof) {
    double t = 0.0;
    bool finite = true;
    for (std::size_t i = 0; i < dof; ++i) {
        const double d = std::fabs(q1[i] - q0[i]);
        finite = finite & (d < kInfinity);
        const double ti = min_time(d, c[i]);
        t = ti > t ? ti : t;
    }
    return finite ? t : kNaN;
}

// The common robot case, with the axis loop unrolled at compile time and without
// unpredictable branches. Cases 1 and 2 are computed for every axis and selected without a
// jump; case 3 (a short move of that axis, needing a cube root) is evaluated only if such an
// axis could be the slowest one: its time is below AxisConstants::t_small_bound, so when the
// other axes already take longer, its exact value cannot change the maximum. The result is
// bit-identical to ptp_duration().
// A non-finite joint value gives NaN (the max alone would silently drop it).
template <std::size_t DOF>
inline double ptp_duration_fixed(const double* q0, const double* q1, const AxisConstants* c) {
    double d[DOF];
    double t = 0.0, small_bound = 0.0;
    bool finite = true;
    for (std::size_t i = 0; i < DOF; ++i) {
        d[i] = std::fabs(q1[i] - q0[i]);
        finite = finite & (d[i] < kInfinity);
        const double t_cruise = d[i] * c[i].inv_vmax + c[i].t_to_vmax;
        const double t_no_cruise = c[i].t_ramp + std::sqrt(c[i].t_ramp_sq + d[i] * c[i].four_over_a);
        const bool small = d[i] < c[i].d_amax;
        const double ti = small ? 0.0 : (d[i] >= c[i].d_cruise ? t_cruise : t_no_cruise);
        const double bi = small ? c[i].t_small_bound : 0.0;
        t = ti > t ? ti : t;
        small_bound = bi > small_bound ? bi : small_bound;
    }
    if (small_bound > t) {
        for (std::size_t i = 0; i < DOF; ++i) {
            if (d[i] < c[i].d_amax) {
                const double ti = min_time_small(d[i], c[i]);
                t = ti > t ? ti : t;
            }
        }
    }
    return finite ? t : kNaN;
}

// n moves (q0, q1 row-major (n, dof)); limit constants either shared ((dof,)) or per move
// ((n, dof)). out: (n,) durations in s under the given speed override.
inline void ptp_durations(const double* q0, const double* q1, std::size_t n, std::size_t dof,
                          const AxisConstants* c, bool per_move_limits, double speed_override,
                          double* out) {
    if (dof == 6 && !per_move_limits) {
        for (std::size_t k = 0; k < n; ++k) {
            const double t = ptp_duration_fixed<6>(q0 + 6 * k, q1 + 6 * k, c);
            out[k] = t / speed_override;
        }
        return;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const AxisConstants* ck = per_move_limits ? c + k * dof : c;
        const double t = ptp_duration(q0 + k * dof, q1 + k * dof, ck, dof);
        out[k] = t / speed_override;
    }
}

// Move-time matrix: out (n, n), out[i, j] = duration of the move from configs[i] to configs[j].
// The duration depends on |q_j - q_i| only, so the matrix is symmetric: compute one triangle.
inline void move_time_matrix(const double* configs, std::size_t n, std::size_t dof,
                             const AxisConstants* c, double speed_override, double* out) {
    for (std::size_t i = 0; i < n; ++i) {
        out[i * n + i] = 0.0;
        const double* qi = configs + i * dof;
        for (std::size_t j = i + 1; j < n; ++j) {
            const double* qj = configs + j * dof;
            const double t = dof == 6 ? ptp_duration_fixed<6>(qi, qj, c) : ptp_duration(qi, qj, c, dof);
            out[i * n + j] = t / speed_override;
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j) out[i * n + j] = out[j * n + i];
}

// Totals for m routes (row-major (m, L) indices into configs, padded at the end with -1).
// time_s: sum of PTP durations; joint_path_rad: sum of joint-space distances ||dq||_2;
// tcp_path_m: sum of TCP chord lengths ||dp||_2 (0 if tcp_positions is null).
// Indices must have been validated by the caller (0 <= idx < n, or -1 padding).
inline void route_totals(const double* configs, std::size_t dof, const std::int64_t* routes,
                         std::size_t m, std::size_t len, const AxisConstants* c,
                         double speed_override, const double* tcp_positions, double* time_s,
                         double* joint_path_rad, double* tcp_path_m) {
    for (std::size_t r = 0; r < m; ++r) {
        const std::int64_t* route = routes + r * len;
        double t = 0.0, qlen = 0.0, plen = 0.0;
        for (std::size_t k = 1; k < len && route[k] >= 0; ++k) {
            const double* qa = configs + route[k - 1] * dof;
            const double* qb = configs + route[k] * dof;
            t += ptp_duration(qa, qb, c, dof) / speed_override;
            double sq = 0.0;
            for (std::size_t i = 0; i < dof; ++i) sq += (qb[i] - qa[i]) * (qb[i] - qa[i]);
            qlen += std::sqrt(sq);
            if (tcp_positions) {
                const double* pa = tcp_positions + route[k - 1] * 3;
                const double* pb = tcp_positions + route[k] * 3;
                const double dx = pb[0] - pa[0], dy = pb[1] - pa[1], dz = pb[2] - pa[2];
                plen += std::sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        time_s[r] = t;
        joint_path_rad[r] = qlen;
        tcp_path_m[r] = plen;
    }
}

}  // namespace cyclecore
