// Cartesian linear (LIN) move between two flange/TCP poses.
//
// The TCP travels the straight segment between the two positions while the orientation turns
// about one fixed axis (the axis of the relative rotation R0^T R1) by the angle theta of that
// rotation. Both are 1-D rest-to-rest motions: the path length under the Cartesian speed,
// acceleration and jerk limits, the angle under the reorientation limits. The move takes the
// longer of the two minimum times; the quicker one is stretched to it by time scaling (as in
// profile_sample.hpp), which keeps it within its limits. A speed override s divides the result.
//
// Poses are row-major 4x4 homogeneous matrices (rotation in the upper-left 3x3, metres in the
// last column).
#pragma once

#include <cmath>
#include <cstddef>

#include "profile_min_time.hpp"

namespace cyclecore {

// Straight-line distance (m) between the pose origins.
inline double linear_path_length(const double* t0, const double* t1) {
    const double dx = t1[3] - t0[3], dy = t1[7] - t0[7], dz = t1[11] - t0[11];
    return std::sqrt(dx * dx + dy * dy + dz * dz);
}

// Angle (rad, in [0, pi]) of the relative rotation R0^T R1.
// atan2 of sine and cosine stays accurate near 0 and near pi, where acos of the trace does not.
inline double reorientation_angle(const double* t0, const double* t1) {
    double r[3][3];  // R0^T R1
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            r[i][j] = t0[0 * 4 + i] * t1[0 * 4 + j] + t0[1 * 4 + i] * t1[1 * 4 + j] +
                      t0[2 * 4 + i] * t1[2 * 4 + j];
    const double cos_theta = 0.5 * (r[0][0] + r[1][1] + r[2][2] - 1.0);
    const double ax = r[2][1] - r[1][2], ay = r[0][2] - r[2][0], az = r[1][0] - r[0][1];
    const double sin_theta = 0.5 * std::sqrt(ax * ax + ay * ay + az * az);
    return std::atan2(sin_theta, cos_theta);
}

// n moves; out (n, 2): path length (m) and reorientation angle (rad) of each.
inline void linear_path_lengths(const double* start, const double* end, std::size_t n,
                                double* out) {
    for (std::size_t k = 0; k < n; ++k) {
        out[2 * k] = linear_path_length(start + 16 * k, end + 16 * k);
        out[2 * k + 1] = reorientation_angle(start + 16 * k, end + 16 * k);
    }
}

// n moves; out (n,): durations (s) under the Cartesian and angular limit constants.
inline void linear_move_durations(const double* start, const double* end, std::size_t n,
                                  const AxisConstants& cartesian, const AxisConstants& angular,
                                  double speed_override, double* out) {
    for (std::size_t k = 0; k < n; ++k) {
        const double t_lin = min_time(linear_path_length(start + 16 * k, end + 16 * k), cartesian);
        const double t_rot = min_time(reorientation_angle(start + 16 * k, end + 16 * k), angular);
        out[k] = (t_lin > t_rot ? t_lin : t_rot) / speed_override;
    }
}

}  // namespace cyclecore
