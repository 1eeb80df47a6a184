// Synchronized point-to-point (PTP) moves, in bulk.
//
// A rest-to-rest PTP move of several axes is time-optimal when it lasts exactly as long as its
// slowest axis alone would: every other axis can always be stretched to that duration (see
// profile_sample.hpp). So the move duration is max_i min_time(|q1_i - q0_i|), and a speed
// override s (v*s, a*s^2, j*s^3: pure time scaling) divides it by s.
//
// Everything here is a plain loop over contiguous row-major arrays; the per-axis constants are
// computed once per limit set, so a 6-axis move costs six cheap closed forms and a max. With
// shared 6-axis limits the moves go through the vector unit side by side: four at a time with
// AVX2 where the CPU has it (chosen at run time, so one portable build still runs on any
// x86-64), else two at a time with SSE2 (part of every x86-64 CPU). Every path performs the same
// IEEE operations lane by lane (no fused multiply-add: -ffp-contract=off, and the AVX2 code is
// compiled for "avx2" only, not "fma"), so all paths give bit-identical results; the tests
// check it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

// Run-time dispatch to AVX2 needs GCC or Clang on x86 (target attributes and
// __builtin_cpu_supports); elsewhere the SSE2 or scalar path is the only one.
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define CYCLECORE_HAVE_AVX2_PATH 1
#include <immintrin.h>
#define CYCLECORE_AVX2 __attribute__((target("avx2")))
#else
#define CYCLECORE_HAVE_AVX2_PATH 0
#endif

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

// Six axes with shared limits, laid out axis by axis so that two moves can be evaluated side
// by side in one SSE2 register (part of every x86-64 CPU, so still a portable build).
struct SixAxisLimits {
    double inv_vmax[6], t_to_vmax[6], t_ramp[6], t_ramp_sq[6], four_over_a[6];
    double d_cruise[6], d_amax[6], t_small_bound[6];
    const AxisConstants* axis;  // for the rare exact case-3 evaluation
};

inline SixAxisLimits six_axis_limits(const AxisConstants* c) {
    SixAxisLimits s;
    for (int i = 0; i < 6; ++i) {
        s.inv_vmax[i] = c[i].inv_vmax;
        s.t_to_vmax[i] = c[i].t_to_vmax;
        s.t_ramp[i] = c[i].t_ramp;
        s.t_ramp_sq[i] = c[i].t_ramp_sq;
        s.four_over_a[i] = c[i].four_over_a;
        s.d_cruise[i] = c[i].d_cruise;
        s.d_amax[i] = c[i].d_amax;
        s.t_small_bound[i] = c[i].t_small_bound;
    }
    s.axis = c;
    return s;
}

// Two 6-axis moves (qa0 -> qa1, qb0 -> qb1) at once; the same operations as
// ptp_duration_fixed<6>, lane by lane, hence the same bits.
inline void ptp_duration_pair(const double* qa0, const double* qa1, const double* qb0,
                              const double* qb1, const SixAxisLimits& s, double* ta, double* tb) {
#if defined(__SSE2__) || defined(_M_X64)
    const __m128d abs_mask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
    const __m128d inf = _mm_set1_pd(kInfinity);
    __m128d t = _mm_setzero_pd(), bound = _mm_setzero_pd();
    __m128d finite = _mm_cmpeq_pd(t, t);
    for (int i = 0; i < 6; ++i) {
        const __m128d d = _mm_and_pd(_mm_sub_pd(_mm_set_pd(qb1[i], qa1[i]), _mm_set_pd(qb0[i], qa0[i])), abs_mask);
        const __m128d t_cruise = _mm_add_pd(_mm_mul_pd(d, _mm_set1_pd(s.inv_vmax[i])), _mm_set1_pd(s.t_to_vmax[i]));
        const __m128d t_no_cruise = _mm_add_pd(
            _mm_set1_pd(s.t_ramp[i]),
            _mm_sqrt_pd(_mm_add_pd(_mm_set1_pd(s.t_ramp_sq[i]), _mm_mul_pd(d, _mm_set1_pd(s.four_over_a[i])))));
        const __m128d cruise = _mm_cmpge_pd(d, _mm_set1_pd(s.d_cruise[i]));
        const __m128d small = _mm_cmplt_pd(d, _mm_set1_pd(s.d_amax[i]));
        __m128d ti = _mm_or_pd(_mm_and_pd(cruise, t_cruise), _mm_andnot_pd(cruise, t_no_cruise));
        ti = _mm_andnot_pd(small, ti);
        t = _mm_max_pd(ti, t);  // ti > t ? ti : t, as in the scalar code
        bound = _mm_max_pd(_mm_and_pd(small, _mm_set1_pd(s.t_small_bound[i])), bound);
        finite = _mm_and_pd(finite, _mm_cmplt_pd(d, inf));
    }
    alignas(16) double tt[2], bb[2], ff[2];
    _mm_store_pd(tt, t);
    _mm_store_pd(bb, bound);
    _mm_store_pd(ff, finite);
    const double* q0s[2] = {qa0, qb0};
    const double* q1s[2] = {qa1, qb1};
    double* outs[2] = {ta, tb};
    for (int lane = 0; lane < 2; ++lane) {
        double tl = tt[lane];
        if (bb[lane] > tl) {
            for (int i = 0; i < 6; ++i) {
                const double d = std::fabs(q1s[lane][i] - q0s[lane][i]);
                if (d < s.d_amax[i]) {
                    const double x = min_time_small(d, s.axis[i]);
                    tl = x > tl ? x : tl;
                }
            }
        }
        *outs[lane] = ff[lane] != 0.0 ? tl : kNaN;
    }
#else
    *ta = ptp_duration_fixed<6>(qa0, qa1, s.axis);
    *tb = ptp_duration_fixed<6>(qb0, qb1, s.axis);
#endif
}

// --- instruction-set dispatch --------------------------------------------------------------

// The vector paths of the shared-limit 6-axis kernels. All give the same bits.
enum class Isa : int { scalar = 0, sse2 = 1, avx2 = 2 };

inline bool isa_available(Isa isa) {
    switch (isa) {
        case Isa::scalar: return true;
        case Isa::sse2:
#if defined(__SSE2__) || defined(_M_X64)
            return true;
#else
            return false;
#endif
        case Isa::avx2:
#if CYCLECORE_HAVE_AVX2_PATH
            // Checks the CPU and that the OS saves the ymm registers (libgcc/compiler-rt do).
            return __builtin_cpu_supports("avx2");
#else
            return false;
#endif
    }
    return false;
}

// The fastest path this CPU runs, decided once.
inline Isa best_isa() {
    static const Isa best = isa_available(Isa::avx2)   ? Isa::avx2
                            : isa_available(Isa::sse2) ? Isa::sse2
                                                       : Isa::scalar;
    return best;
}

inline const char* isa_name(Isa isa) {
    return isa == Isa::avx2 ? "avx2" : isa == Isa::sse2 ? "sse2" : "scalar";
}

#if CYCLECORE_HAVE_AVX2_PATH

// Four 6-axis moves at once: the same operations as ptp_duration_fixed<6>, lane by lane.
// dist[i] holds the signed differences q1 - q0 of axis i for the four moves.
CYCLECORE_AVX2 inline void ptp_duration_quad_avx2(const __m256d dist[6], const SixAxisLimits& s,
                                                  double* out) {
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256d inf = _mm256_set1_pd(kInfinity);
    __m256d t = _mm256_setzero_pd(), bound = _mm256_setzero_pd();
    __m256d finite = _mm256_cmp_pd(t, t, _CMP_EQ_OQ);
    __m256d d[6];
    for (int i = 0; i < 6; ++i) {
        d[i] = _mm256_and_pd(dist[i], abs_mask);
        const __m256d t_cruise = _mm256_add_pd(_mm256_mul_pd(d[i], _mm256_set1_pd(s.inv_vmax[i])),
                                               _mm256_set1_pd(s.t_to_vmax[i]));
        const __m256d t_no_cruise = _mm256_add_pd(
            _mm256_set1_pd(s.t_ramp[i]),
            _mm256_sqrt_pd(_mm256_add_pd(_mm256_set1_pd(s.t_ramp_sq[i]),
                                         _mm256_mul_pd(d[i], _mm256_set1_pd(s.four_over_a[i])))));
        const __m256d cruise = _mm256_cmp_pd(d[i], _mm256_set1_pd(s.d_cruise[i]), _CMP_GE_OQ);
        const __m256d small = _mm256_cmp_pd(d[i], _mm256_set1_pd(s.d_amax[i]), _CMP_LT_OQ);
        __m256d ti = _mm256_blendv_pd(t_no_cruise, t_cruise, cruise);
        ti = _mm256_andnot_pd(small, ti);
        t = _mm256_max_pd(ti, t);  // ti > t ? ti : t, as in the scalar code
        bound = _mm256_max_pd(_mm256_and_pd(small, _mm256_set1_pd(s.t_small_bound[i])), bound);
        finite = _mm256_and_pd(finite, _mm256_cmp_pd(d[i], inf, _CMP_LT_OQ));
    }
    const int need_small = _mm256_movemask_pd(_mm256_cmp_pd(bound, t, _CMP_GT_OQ));
    const int is_finite = _mm256_movemask_pd(finite);
    _mm256_storeu_pd(out, t);
    if (need_small) {  // rare: a short axis might be the slowest one; evaluate it exactly
        alignas(32) double dd[6][4];
        for (int i = 0; i < 6; ++i) _mm256_store_pd(dd[i], d[i]);
        for (int lane = 0; lane < 4; ++lane) {
            if (!(need_small >> lane & 1)) continue;
            double tl = out[lane];
            for (int i = 0; i < 6; ++i) {
                if (dd[i][lane] < s.d_amax[i]) {
                    const double x = min_time_small(dd[i][lane], s.axis[i]);
                    tl = x > tl ? x : tl;
                }
            }
            out[lane] = tl;
        }
    }
    if (is_finite != 0xF)
        for (int lane = 0; lane < 4; ++lane)
            if (!(is_finite >> lane & 1)) out[lane] = kNaN;
}

// The axis-major differences of four consecutive moves of row-major (n, 6) arrays: one 4x6
// transpose in registers (4 + 2 columns) instead of 24 scalar loads.
CYCLECORE_AVX2 inline void differences_quad_avx2(const double* q0, const double* q1, __m256d d[6]) {
    __m256d r[4];
    __m128d e[4];
    for (int lane = 0; lane < 4; ++lane) {
        r[lane] = _mm256_sub_pd(_mm256_loadu_pd(q1 + 6 * lane), _mm256_loadu_pd(q0 + 6 * lane));
        e[lane] = _mm_sub_pd(_mm_loadu_pd(q1 + 6 * lane + 4), _mm_loadu_pd(q0 + 6 * lane + 4));
    }
    const __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
    const __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
    d[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    d[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    d[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    d[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
    const __m256d x = _mm256_set_m128d(e[2], e[0]), y = _mm256_set_m128d(e[3], e[1]);
    d[4] = _mm256_unpacklo_pd(x, y);
    d[5] = _mm256_unpackhi_pd(x, y);
}

// Returns whether every joint value lies in [-q_bound, q_bound] (false for NaN): checked while
// the values pass by anyway, so the caller needs no extra pass over the arrays.
CYCLECORE_AVX2 inline bool ptp_durations_six_avx2(const double* q0, const double* q1,
                                                  std::size_t n, const AxisConstants* c,
                                                  double q_bound, double* out) {
    const SixAxisLimits s = six_axis_limits(c);
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
    const __m256d bound = _mm256_set1_pd(q_bound);
    __m256d in_range = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        // Four moves are 24 contiguous values of each array.
        for (int m = 0; m < 6; ++m) {
            const __m256d a = _mm256_and_pd(_mm256_loadu_pd(q0 + 6 * k + 4 * m), abs_mask);
            const __m256d b = _mm256_and_pd(_mm256_loadu_pd(q1 + 6 * k + 4 * m), abs_mask);
            in_range = _mm256_and_pd(in_range, _mm256_and_pd(_mm256_cmp_pd(a, bound, _CMP_LE_OQ),
                                                             _mm256_cmp_pd(b, bound, _CMP_LE_OQ)));
        }
        __m256d d[6];
        differences_quad_avx2(q0 + 6 * k, q1 + 6 * k, d);
        ptp_duration_quad_avx2(d, s, out + k);
    }
    bool ok = _mm256_movemask_pd(in_range) == 0xF;
    for (; k < n; ++k) {
        out[k] = ptp_duration_fixed<6>(q0 + 6 * k, q1 + 6 * k, c);
        for (std::size_t i = 6 * k; i < 6 * k + 6; ++i)
            ok = ok & (std::fabs(q0[i]) <= q_bound) & (std::fabs(q1[i]) <= q_bound);
    }
    return ok;
}

// Row i of the move-time matrix, j in [j0, n), from the axis-major copy of the configurations
// (axis i of configuration j at soa[i * n + j]): contiguous loads, no transposes.
CYCLECORE_AVX2 inline void matrix_row_six_avx2(const double* configs, const double* soa,
                                               std::size_t n, std::size_t i, std::size_t j0,
                                               const SixAxisLimits& s, const AxisConstants* c,
                                               double* row) {
    __m256d qi[6];
    for (int a = 0; a < 6; ++a) qi[a] = _mm256_set1_pd(configs[6 * i + a]);
    std::size_t j = j0;
    for (; j + 4 <= n; j += 4) {
        __m256d d[6];
        for (int a = 0; a < 6; ++a) d[a] = _mm256_sub_pd(_mm256_loadu_pd(soa + a * n + j), qi[a]);
        ptp_duration_quad_avx2(d, s, row + j);
    }
    for (; j < n; ++j) row[j] = ptp_duration_fixed<6>(configs + 6 * i, configs + 6 * j, c);
}

#endif  // CYCLECORE_HAVE_AVX2_PATH

// Whether every value of x (count values) lies in [-bound, bound]; false for NaN.
inline bool all_within(const double* x, std::size_t count, double bound) {
    bool ok = true;
    for (std::size_t i = 0; i < count; ++i) ok = ok & (std::fabs(x[i]) <= bound);
    return ok;
}

// n moves (q0, q1 row-major (n, dof)); limit constants either shared ((dof,)) or per move
// ((n, dof)). out: (n,) durations in s under the given speed override (t / s; skipped for
// s = 1, where it would change nothing); NaN for a move with a non-finite joint value. isa picks
// the vector path of the shared-limit 6-axis case (the caller checks isa_available); every path
// gives the same bits. Returns whether every joint value lies in [-q_bound, q_bound] (the AVX2
// path checks it on the way; the others in a separate pass).
inline bool ptp_durations(const double* q0, const double* q1, std::size_t n, std::size_t dof,
                          const AxisConstants* c, bool per_move_limits, double speed_override,
                          double* out, double q_bound = kInfinity, Isa isa = best_isa()) {
    bool in_range = true;
    if (dof == 6 && !per_move_limits && isa == Isa::avx2) {
#if CYCLECORE_HAVE_AVX2_PATH
        in_range = ptp_durations_six_avx2(q0, q1, n, c, q_bound, out);
#endif
    } else {
        in_range = all_within(q0, n * dof, q_bound) && all_within(q1, n * dof, q_bound);
        if (dof == 6 && !per_move_limits && isa == Isa::sse2) {
            const SixAxisLimits s = six_axis_limits(c);
            std::size_t k = 0;
            for (; k + 1 < n; k += 2)
                ptp_duration_pair(q0 + 6 * k, q1 + 6 * k, q0 + 6 * k + 6, q1 + 6 * k + 6, s,
                                  out + k, out + k + 1);
            if (k < n) out[k] = ptp_duration_fixed<6>(q0 + 6 * k, q1 + 6 * k, c);
        } else {
            for (std::size_t k = 0; k < n; ++k) {
                const AxisConstants* ck = per_move_limits ? c + k * dof : c;
                out[k] = ptp_duration(q0 + k * dof, q1 + k * dof, ck, dof);
            }
        }
    }
    if (speed_override != 1.0)
        for (std::size_t k = 0; k < n; ++k) out[k] /= speed_override;
    return in_range;
}

// Move-time matrix: out (n, n), out[i, j] = duration of the move from configs[i] to configs[j].
// The duration depends on |q_j - q_i| only, so the matrix is symmetric: compute one triangle.
inline void move_time_matrix(const double* configs, std::size_t n, std::size_t dof,
                             const AxisConstants* c, double speed_override, double* out,
                             Isa isa = best_isa()) {
    const SixAxisLimits s = dof == 6 ? six_axis_limits(c) : SixAxisLimits{};
#if CYCLECORE_HAVE_AVX2_PATH
    std::vector<double> soa;
    if (dof == 6 && isa == Isa::avx2) {
        soa.resize(6 * n);
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t a = 0; a < 6; ++a) soa[a * n + j] = configs[6 * j + a];
    }
#endif
    for (std::size_t i = 0; i < n; ++i) {
        out[i * n + i] = 0.0;
        const double* qi = configs + i * dof;
        std::size_t j = i + 1;
        if (dof == 6 && isa == Isa::avx2) {
#if CYCLECORE_HAVE_AVX2_PATH
            matrix_row_six_avx2(configs, soa.data(), n, i, j, s, c, out + i * n);
            j = n;
#endif
        } else if (dof == 6 && isa == Isa::sse2) {
            for (; j + 1 < n; j += 2)
                ptp_duration_pair(qi, configs + 6 * j, qi, configs + 6 * j + 6, s, out + i * n + j,
                                  out + i * n + j + 1);
        }
        for (; j < n; ++j) out[i * n + j] = ptp_duration(qi, configs + j * dof, c, dof);
        if (speed_override != 1.0)
            for (j = i + 1; j < n; ++j) out[i * n + j] /= speed_override;
    }
    // Mirror the upper triangle tile by tile: a plain column walk would miss the cache on
    // every element of a large matrix.
    constexpr std::size_t kTile = 64;
    for (std::size_t i0 = 0; i0 < n; i0 += kTile)
        for (std::size_t j0 = 0; j0 <= i0; j0 += kTile)
            for (std::size_t i = i0; i < i0 + kTile && i < n; ++i)
                for (std::size_t j = j0; j < j0 + kTile && j < i; ++j) out[i * n + j] = out[j * n + i];
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
