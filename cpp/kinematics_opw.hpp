// Forward and inverse kinematics of ortho-parallel 6R robots with a spherical wrist ("OPW").
//
// Most industrial six-axis arms share one geometry, described by seven lengths
// (Brandstoetter, Angerer, Hofbaur, "An analytical solution of the inverse kinematics problem
// of industrial serial manipulators with an ortho-parallel basis and a spherical wrist", 2014):
//   c1  height of axis 2 above the base          a1  forward offset of axis 2 from axis 1
//   c2  upper-arm length (axis 2 to axis 3)      a2  elbow offset (axis 3 to the forearm axis)
//   c3  forearm length (axis 3 to wrist centre)  b   lateral offset (0 for almost every arm)
//   c4  wrist centre to flange
// The model's joint angles theta relate to the controller's joint values q by
//   theta[i] = sign[i] * q[i] - offset[i]       (q = sign * (theta + offset), sign = +-1).
//
// Inverse kinematics, in the paper's steps: the wrist centre C = p - c4 * z_flange fixes the
// first three axes (two shoulder choices for theta1, for each an elbow up/down pair for
// theta2/theta3: four arm solutions); the remaining rotation R_wrist = R_arm^T R is a ZYZ Euler
// rotation Rz(theta4) Ry(theta5) Rz(theta6), with a wrist flip (theta4 + pi, -theta5,
// theta6 + pi) doubling the count to eight.
//
// Every solution is checked by forward kinematics before it is returned, so a numerically
// degenerate branch comes back as NaN rather than as a wrong joint vector.
#pragma once

#include <cmath>
#include <limits>

namespace cyclecore {

struct OpwRobot {
    double a1 = 0, a2 = 0, b = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0;  // m
    double offset[6] = {0, 0, 0, 0, 0, 0};                         // rad
    double sign[6] = {1, 1, 1, 1, 1, 1};                           // +-1
    double joint_min[6] = {0, 0, 0, 0, 0, 0};                      // rad, controller convention
    double joint_max[6] = {0, 0, 0, 0, 0, 0};                      // rad
};

namespace opw_detail {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A joint value this close outside a limit (rounding of IK) counts as on the limit.
constexpr double kLimitTolerance = 1e-10;  // rad
// A value of cos just outside [-1, 1] by rounding is a stretched arm, not an unreachable pose.
constexpr double kCosTolerance = 1e-12;
// Largest FK residual accepted for an IK solution (m for position, - for rotation entries).
constexpr double kResidualTolerance = 1e-7;

inline double safe_acos(double x) {
    if (x > 1.0 + kCosTolerance || x < -1.0 - kCosTolerance || std::isnan(x)) return kNaN;
    return std::acos(x > 1.0 ? 1.0 : (x < -1.0 ? -1.0 : x));
}

// Angle wrapped into (-pi, pi].
inline double wrap(double x) {
    double y = std::remainder(x, kTwoPi);  // in [-pi, pi]
    return y <= -kPi ? y + kTwoPi : y;
}

// Among x + 2 pi k inside [lo, hi] (with rounding tolerance), the one closest to ref;
// NaN if none fits. Limits may span more than one turn (wrist axes up to +-400 deg and beyond).
//
// Bounded work whatever the limits: the distance |x + 2 pi k - ref| is convex in k, so the
// nearest shift inside the limits is next to the unconstrained optimum k_ref or at an end of the
// feasible range [k_lo, k_hi] (the ends come from rounded divisions, so each is looked at with
// its two neighbours). At most ten candidates, never a walk over every turn: limits of
// +-1e308 rad (which no caller should pass; cyclecore/robot/motion.py refuses them) cost the
// same as +-pi. Among equally close candidates the lower turn wins, for determinism.
inline double fit_into_limits(double x, double lo, double hi, double ref) {
    if (std::isnan(x)) return kNaN;
    const double base = wrap(x);
    const double k_lo = std::floor((lo - kLimitTolerance - base) / kTwoPi);
    const double k_hi = std::ceil((hi + kLimitTolerance - base) / kTwoPi);
    if (!(k_lo <= k_hi)) return kNaN;  // empty, or NaN limits
    double k_ref = std::floor((ref - base) / kTwoPi);
    if (!(k_ref >= k_lo)) k_ref = k_lo;  // also a NaN ref
    if (k_ref > k_hi) k_ref = k_hi;
    const double candidates[10] = {k_lo,      k_lo + 1.0, k_lo + 2.0, k_ref - 1.0, k_ref,
                                   k_ref + 1.0, k_ref + 2.0, k_hi - 2.0, k_hi - 1.0, k_hi};
    double best = kNaN, best_dist = std::numeric_limits<double>::infinity();
    double best_k = std::numeric_limits<double>::infinity();
    for (const double k : candidates) {
        if (k < k_lo || k > k_hi) continue;
        double v = base + kTwoPi * k;
        if (!(v >= lo - kLimitTolerance && v <= hi + kLimitTolerance)) continue;
        v = v < lo ? lo : (v > hi ? hi : v);
        const double dist = std::fabs(v - ref);
        if (dist < best_dist || (dist == best_dist && k < best_k)) {
            best = v;
            best_dist = dist;
            best_k = k;
        }
    }
    return best;
}

}  // namespace opw_detail

// Flange pose (row-major 4x4, m) for controller joint values q (rad).
inline void opw_forward(const OpwRobot& r, const double* q, double* T) {
    double th[6];
    for (int i = 0; i < 6; ++i) th[i] = r.sign[i] * q[i] - r.offset[i];
    const double psi3 = std::atan2(r.a2, r.c3);
    const double k = std::sqrt(r.a2 * r.a2 + r.c3 * r.c3);
    // Wrist centre in the plane of the arm, then turned by axis 1.
    const double cx1 = r.c2 * std::sin(th[1]) + k * std::sin(th[1] + th[2] + psi3) + r.a1;
    const double cy1 = r.b;
    const double cz1 = r.c2 * std::cos(th[1]) + k * std::cos(th[1] + th[2] + psi3);
    const double s1 = std::sin(th[0]), c1 = std::cos(th[0]);
    const double cx0 = cx1 * c1 - cy1 * s1, cy0 = cx1 * s1 + cy1 * c1, cz0 = cz1 + r.c1;
    // Arm rotation Rz(theta1) Ry(theta2 + theta3); wrist rotation Rz(theta4) Ry(theta5) Rz(theta6).
    const double s23 = std::sin(th[1] + th[2]), c23 = std::cos(th[1] + th[2]);
    const double ra[3][3] = {{c1 * c23, -s1, c1 * s23}, {s1 * c23, c1, s1 * s23}, {-s23, 0.0, c23}};
    const double s4 = std::sin(th[3]), c4 = std::cos(th[3]);
    const double s5 = std::sin(th[4]), c5 = std::cos(th[4]);
    const double s6 = std::sin(th[5]), c6 = std::cos(th[5]);
    const double rw[3][3] = {{c4 * c5 * c6 - s4 * s6, -c4 * c5 * s6 - s4 * c6, c4 * s5},
                             {s4 * c5 * c6 + c4 * s6, -s4 * c5 * s6 + c4 * c6, s4 * s5},
                             {-s5 * c6, s5 * s6, c5}};
    double R[3][3];
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            R[i][j] = ra[i][0] * rw[0][j] + ra[i][1] * rw[1][j] + ra[i][2] * rw[2][j];
    const double p[3] = {cx0 + r.c4 * R[0][2], cy0 + r.c4 * R[1][2], cz0 + r.c4 * R[2][2]};
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) T[4 * i + j] = R[i][j];
        T[4 * i + 3] = p[i];
    }
    T[12] = T[13] = T[14] = 0.0;
    T[15] = 1.0;
}

namespace opw_detail {

// Largest absolute difference between the FK of q and the target pose (rotation and position
// entries of the top three rows).
inline double pose_residual(const OpwRobot& r, const double* q, const double* T) {
    double F[16];
    opw_forward(r, q, F);
    double worst = 0.0;
    for (int k = 0; k < 12; ++k) {
        const double e = std::fabs(F[k] - T[k]);
        worst = e > worst ? e : worst;
    }
    return worst;
}

// The eight model-space solutions (theta, rad) for pose T; NaN rows where a branch has none.
inline void model_solutions(const OpwRobot& r, const double* T, double th[8][6]) {
    const double R[3][3] = {{T[0], T[1], T[2]}, {T[4], T[5], T[6]}, {T[8], T[9], T[10]}};
    const double cx = T[3] - r.c4 * R[0][2];
    const double cy = T[7] - r.c4 * R[1][2];
    const double cz = T[11] - r.c4 * R[2][2];

    // Axis 1: facing the wrist centre, or turned away from it (reaching over the back).
    const double nx1 = std::sqrt(cx * cx + cy * cy - r.b * r.b) - r.a1;
    const double phi = std::atan2(cy, cx), lateral = std::atan2(r.b, nx1 + r.a1);
    const double th1[2] = {phi - lateral, phi + lateral - kPi};

    // Axes 2 and 3: triangle shoulder - elbow - wrist centre, in the arm plane. The forearm
    // length seen from the elbow is kappa (with the elbow offset a2).
    const double h = cz - r.c1;
    const double kappa_sq = r.a2 * r.a2 + r.c3 * r.c3;
    const double kappa = std::sqrt(kappa_sq);
    const double psi3 = std::atan2(r.a2, r.c3);
    const double c2_sq = r.c2 * r.c2;
    const double reach_front = nx1;              // horizontal reach beyond axis 2, front
    const double reach_back = nx1 + 2.0 * r.a1;  // same, with axis 1 turned half a turn
    double th2[4], th3[4];
    {
        const double s_sq = reach_front * reach_front + h * h, s = std::sqrt(s_sq);
        const double at = std::atan2(reach_front, h);
        const double elbow = safe_acos((s_sq + c2_sq - kappa_sq) / (2.0 * s * r.c2));
        const double inner = safe_acos((s_sq - c2_sq - kappa_sq) / (2.0 * r.c2 * kappa));
        th2[0] = -elbow + at;
        th2[1] = elbow + at;
        th3[0] = inner - psi3;
        th3[1] = -inner - psi3;
    }
    {
        const double s_sq = reach_back * reach_back + h * h, s = std::sqrt(s_sq);
        const double at = std::atan2(reach_back, h);
        const double elbow = safe_acos((s_sq + c2_sq - kappa_sq) / (2.0 * s * r.c2));
        const double inner = safe_acos((s_sq - c2_sq - kappa_sq) / (2.0 * r.c2 * kappa));
        th2[2] = -elbow - at;
        th2[3] = elbow - at;
        th3[2] = inner - psi3;
        th3[3] = -inner - psi3;
    }

    for (int arm = 0; arm < 4; ++arm) {
        const double t1 = th1[arm / 2], t2 = th2[arm], t3 = th3[arm];
        const double s1 = std::sin(t1), c1 = std::cos(t1);
        const double s23 = std::sin(t2 + t3), c23 = std::cos(t2 + t3);
        const double ra[3][3] = {{c1 * c23, -s1, c1 * s23}, {s1 * c23, c1, s1 * s23}, {-s23, 0.0, c23}};
        double w[3][3];  // R_arm^T R = Rz(t4) Ry(t5) Rz(t6)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                w[i][j] = ra[0][i] * R[0][j] + ra[1][i] * R[1][j] + ra[2][i] * R[2][j];
        const double sin5 = std::sqrt(w[0][2] * w[0][2] + w[1][2] * w[1][2]);
        double t4, t5, t6;
        if (sin5 > 1e-12) {
            t4 = std::atan2(w[1][2], w[0][2]);
            t5 = std::atan2(sin5, w[2][2]);
            t6 = std::atan2(w[2][1], -w[2][0]);
        } else {
            // Wrist singularity: axes 4 and 6 are aligned and only their sum (or difference) is
            // determined. Keep axis 4 still and give the whole turn to axis 6.
            t4 = 0.0;
            t5 = w[2][2] >= 0.0 ? 0.0 : kPi;
            t6 = std::atan2(w[1][0], w[1][1]);
        }
        double* a = th[arm];
        a[0] = t1; a[1] = t2; a[2] = t3; a[3] = t4; a[4] = t5; a[5] = t6;
        double* f = th[arm + 4];  // wrist flip
        f[0] = t1; f[1] = t2; f[2] = t3; f[3] = t4 + kPi; f[4] = -t5; f[5] = t6 + kPi;
    }
}

// Controller joint values of one model solution fitted into the joint limits, each joint as
// close as possible to ref; false (and NaN row) if the branch has no solution, violates a limit
// or fails the FK check.
inline bool fit_solution(const OpwRobot& r, const double* theta, const double* ref,
                         const double* T, double* q) {
    for (int i = 0; i < 6; ++i) {
        q[i] = fit_into_limits(r.sign[i] * (theta[i] + r.offset[i]), r.joint_min[i],
                               r.joint_max[i], ref[i]);
        if (std::isnan(q[i])) break;
    }
    bool ok = true;
    for (int i = 0; i < 6; ++i) ok = ok && !std::isnan(q[i]);
    if (ok) ok = pose_residual(r, q, T) <= kResidualTolerance;
    if (!ok)
        for (int i = 0; i < 6; ++i) q[i] = kNaN;
    return ok;
}

}  // namespace opw_detail

// All eight solutions (rad, controller convention) for pose T, out (8, 6) row-major. A row is
// NaN where that branch has no solution or violates a joint limit. Each joint is reported as
// its value within the limits closest to zero (so +-2 pi variants are used only when needed).
inline void opw_inverse(const OpwRobot& r, const double* T, double* out) {
    double th[8][6];
    opw_detail::model_solutions(r, T, th);
    const double zero[6] = {0, 0, 0, 0, 0, 0};
    for (int s = 0; s < 8; ++s) opw_detail::fit_solution(r, th[s], zero, T, out + 6 * s);
}

// The solution closest to q_ref (Euclidean in joint space, rad) among all eight branches and
// all +-2 pi variants inside the joint limits. Returns false (q NaN) if the pose is unreachable.
// Choosing each joint's variant independently is exact: the distance is a sum over joints.
inline bool opw_closest(const OpwRobot& r, const double* T, const double* q_ref, double* q) {
    double th[8][6];
    opw_detail::model_solutions(r, T, th);
    double best = std::numeric_limits<double>::infinity();
    bool found = false;
    for (int i = 0; i < 6; ++i) q[i] = opw_detail::kNaN;
    for (int s = 0; s < 8; ++s) {
        double cand[6];
        if (!opw_detail::fit_solution(r, th[s], q_ref, T, cand)) continue;
        double d = 0.0;
        for (int i = 0; i < 6; ++i) d += (cand[i] - q_ref[i]) * (cand[i] - q_ref[i]);
        if (d < best) {
            best = d;
            found = true;
            for (int i = 0; i < 6; ++i) q[i] = cand[i];
        }
    }
    return found;
}

}  // namespace cyclecore
