// Python binding of the motion kernels: the private module cyclecore._core.
//
// Thin on purpose. Each entry point takes contiguous float64 (or int64) arrays, checks only
// what the C++ needs to stay memory-safe (shapes), releases the GIL around the loop and
// allocates nothing but its output. Validation of values (NaN, non-positive limits, ...) and
// friendly error messages live in cyclecore/motion.py, the public face.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "kinematics_opw.hpp"
#include "linear_move.hpp"
#include "profile_min_time.hpp"
#include "profile_sample.hpp"
#include "ptp.hpp"

namespace py = pybind11;
using cyclecore::AxisConstants;

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using IndexArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw py::value_error(what);
}

// The vector path to use: "auto" (the fastest this CPU runs) or one named path, for the tests
// that check every path gives the same bits.
cyclecore::Isa isa_from(const std::string& name) {
    using cyclecore::Isa;
    if (name == "auto") return cyclecore::best_isa();
    for (Isa isa : {Isa::scalar, Isa::sse2, Isa::avx2}) {
        if (name == cyclecore::isa_name(isa)) {
            require(cyclecore::isa_available(isa), "isa: " + name + " is not available on this CPU");
            return isa;
        }
    }
    throw py::value_error("isa: got '" + name + "', expected 'auto', 'scalar', 'sse2' or 'avx2'");
}

// Limits as a (n_sets, dof) block; n_sets is 1 (shared) or n (one set per move).
std::vector<AxisConstants> constants_from(const Array& vmax, const Array& amax, const Array& jmax,
                                          std::size_t& n_sets, std::size_t dof) {
    require(vmax.ndim() == 2 && amax.ndim() == 2 && jmax.ndim() == 2,
            "limits must be 2-D (n_sets, dof) arrays");
    n_sets = static_cast<std::size_t>(vmax.shape(0));
    for (const Array* a : {&vmax, &amax, &jmax})
        require(static_cast<std::size_t>(a->shape(0)) == n_sets &&
                    static_cast<std::size_t>(a->shape(1)) == dof,
                "vmax, amax, jmax must share the shape (n_sets, dof)");
    return cyclecore::limit_constants(vmax.data(), amax.data(), jmax.data(), n_sets, dof);
}

// (durations, whether every joint value lies within [-q_bound, q_bound]).
py::tuple ptp_durations(const Array& q0, const Array& q1, const Array& vmax, const Array& amax,
                        const Array& jmax, double speed_override, const std::string& isa,
                        double q_bound) {
    const cyclecore::Isa path = isa_from(isa);
    require(q0.ndim() == 2 && q1.ndim() == 2 && q0.shape(0) == q1.shape(0) &&
                q0.shape(1) == q1.shape(1),
            "q0 and q1 must be (n, dof) arrays of the same shape");
    const std::size_t n = q0.shape(0), dof = q0.shape(1);
    std::size_t n_sets = 0;
    const auto c = constants_from(vmax, amax, jmax, n_sets, dof);
    require(n_sets == 1 || n_sets == n, "limits must have 1 or n rows");
    Array out(n);
    bool in_range = true;
    {
        py::gil_scoped_release release;
        in_range = cyclecore::ptp_durations(q0.data(), q1.data(), n, dof, c.data(),
                                            n_sets == n && n != 1, speed_override,
                                            out.mutable_data(), q_bound, path);
    }
    return py::make_tuple(out, in_range);
}

Array move_time_matrix(const Array& configs, const Array& vmax, const Array& amax,
                       const Array& jmax, double speed_override, const std::string& isa) {
    const cyclecore::Isa path = isa_from(isa);
    require(configs.ndim() == 2, "configs must be (n, dof)");
    const std::size_t n = configs.shape(0), dof = configs.shape(1);
    std::size_t n_sets = 0;
    const auto c = constants_from(vmax, amax, jmax, n_sets, dof);
    require(n_sets == 1, "move_time_matrix takes one limit set");
    Array out({n, n});
    {
        py::gil_scoped_release release;
        cyclecore::move_time_matrix(configs.data(), n, dof, c.data(), speed_override,
                                    out.mutable_data(), path);
    }
    return out;
}

py::tuple route_totals(const Array& configs, const IndexArray& routes, const Array& vmax,
                       const Array& amax, const Array& jmax, double speed_override,
                       const py::object& tcp_positions) {
    require(configs.ndim() == 2, "configs must be (n, dof)");
    require(routes.ndim() == 2, "routes must be (m, L)");
    const std::size_t n = configs.shape(0), dof = configs.shape(1);
    const std::size_t m = routes.shape(0), len = routes.shape(1);
    std::size_t n_sets = 0;
    const auto c = constants_from(vmax, amax, jmax, n_sets, dof);
    require(n_sets == 1, "route_totals takes one limit set");
    // Memory safety: every index is -1 (padding) or a valid row of configs.
    const std::int64_t* r = routes.data();
    for (std::size_t k = 0; k < m * len; ++k)
        require(r[k] >= -1 && r[k] < static_cast<std::int64_t>(n), "route index out of range");
    Array tcp;
    const double* tcp_ptr = nullptr;
    if (!tcp_positions.is_none()) {
        tcp = tcp_positions.cast<Array>();
        require(tcp.ndim() == 2 && static_cast<std::size_t>(tcp.shape(0)) == n && tcp.shape(1) == 3,
                "tcp_positions must be (n, 3)");
        tcp_ptr = tcp.data();
    }
    Array time_s(m), joint_path(m), tcp_path(m);
    {
        py::gil_scoped_release release;
        cyclecore::route_totals(configs.data(), dof, r, m, len, c.data(), speed_override, tcp_ptr,
                                time_s.mutable_data(), joint_path.mutable_data(),
                                tcp_path.mutable_data());
    }
    return py::make_tuple(time_s, joint_path, tcp_path);
}

py::tuple sample_ptp(const Array& q0, const Array& q1, const Array& vmax, const Array& amax,
                     const Array& jmax, const Array& times, double speed_override) {
    require(q0.ndim() == 1 && q1.ndim() == 1 && q0.shape(0) == q1.shape(0),
            "q0 and q1 must be (dof,) arrays of the same shape");
    require(times.ndim() == 1, "times must be (k,)");
    const std::size_t dof = q0.shape(0), k = times.shape(0);
    std::size_t n_sets = 0;
    const auto c = constants_from(vmax, amax, jmax, n_sets, dof);
    require(n_sets == 1, "sample_ptp takes one limit set");
    Array pos({k, dof}), vel({k, dof}), acc({k, dof}), jerk({k, dof});
    std::vector<cyclecore::AxisProfile> scratch(dof);
    double duration = 0.0;
    {
        py::gil_scoped_release release;
        duration = cyclecore::sample_synchronized(
            q0.data(), q1.data(), c.data(), dof, times.data(), k, speed_override,
            pos.mutable_data(), vel.mutable_data(), acc.mutable_data(), jerk.mutable_data(),
            scratch.data());
    }
    return py::make_tuple(pos, vel, acc, jerk, duration / speed_override);
}

Array linear_move_durations(const Array& start, const Array& end, double v, double a, double j,
                            double w, double dw, double ddw, double speed_override) {
    require(start.ndim() == 3 && end.ndim() == 3 && start.shape(0) == end.shape(0) &&
                start.shape(1) == 4 && start.shape(2) == 4 && end.shape(1) == 4 &&
                end.shape(2) == 4,
            "start and end poses must be (n, 4, 4) arrays of the same shape");
    const std::size_t n = start.shape(0);
    Array out(n);
    {
        py::gil_scoped_release release;
        cyclecore::linear_move_durations(start.data(), end.data(), n,
                                         cyclecore::axis_constants({v, a, j}),
                                         cyclecore::axis_constants({w, dw, ddw}), speed_override,
                                         out.mutable_data());
    }
    return out;
}

Array linear_path_lengths(const Array& start, const Array& end) {
    require(start.ndim() == 3 && end.ndim() == 3 && start.shape(0) == end.shape(0),
            "start and end poses must be (n, 4, 4) arrays of the same shape");
    const std::size_t n = start.shape(0);
    Array out({n, std::size_t(2)});
    {
        py::gil_scoped_release release;
        cyclecore::linear_path_lengths(start.data(), end.data(), n, out.mutable_data());
    }
    return out;
}

cyclecore::OpwRobot make_robot(const Array& geometry, const Array& offsets, const Array& signs,
                               const Array& joint_min, const Array& joint_max) {
    require(geometry.ndim() == 1 && geometry.shape(0) == 7,
            "geometry must be (7,): a1, a2, b, c1, c2, c3, c4");
    for (const Array* a : {&offsets, &signs, &joint_min, &joint_max})
        require(a->ndim() == 1 && a->shape(0) == 6, "offsets, signs and joint limits must be (6,)");
    cyclecore::OpwRobot r;
    const double* g = geometry.data();
    r.a1 = g[0]; r.a2 = g[1]; r.b = g[2]; r.c1 = g[3]; r.c2 = g[4]; r.c3 = g[5]; r.c4 = g[6];
    for (int i = 0; i < 6; ++i) {
        r.offset[i] = offsets.data()[i];
        r.sign[i] = signs.data()[i];
        r.joint_min[i] = joint_min.data()[i];
        r.joint_max[i] = joint_max.data()[i];
    }
    return r;
}

Array opw_forward(const cyclecore::OpwRobot& robot, const Array& q) {
    require(q.ndim() == 2 && q.shape(1) == 6, "q must be (n, 6)");
    const std::size_t n = q.shape(0);
    Array out({n, std::size_t(4), std::size_t(4)});
    {
        py::gil_scoped_release release;
        for (std::size_t k = 0; k < n; ++k)
            cyclecore::opw_forward(robot, q.data() + 6 * k, out.mutable_data() + 16 * k);
    }
    return out;
}

Array opw_inverse(const cyclecore::OpwRobot& robot, const Array& poses) {
    require(poses.ndim() == 3 && poses.shape(1) == 4 && poses.shape(2) == 4,
            "poses must be (n, 4, 4)");
    const std::size_t n = poses.shape(0);
    Array out({n, std::size_t(8), std::size_t(6)});
    {
        py::gil_scoped_release release;
        for (std::size_t k = 0; k < n; ++k)
            cyclecore::opw_inverse(robot, poses.data() + 16 * k, out.mutable_data() + 48 * k);
    }
    return out;
}

py::tuple opw_closest(const cyclecore::OpwRobot& robot, const Array& poses, const Array& q_ref) {
    require(poses.ndim() == 3 && poses.shape(1) == 4 && poses.shape(2) == 4,
            "poses must be (n, 4, 4)");
    const std::size_t n = poses.shape(0);
    require(q_ref.ndim() == 2 && q_ref.shape(1) == 6 &&
                (static_cast<std::size_t>(q_ref.shape(0)) == n || q_ref.shape(0) == 1),
            "q_ref must be (n, 6) or (1, 6)");
    const bool shared_ref = q_ref.shape(0) == 1;
    Array out({n, std::size_t(6)});
    py::array_t<bool> reachable(n);
    {
        py::gil_scoped_release release;
        bool* ok = reachable.mutable_data();
        for (std::size_t k = 0; k < n; ++k)
            ok[k] = cyclecore::opw_closest(robot, poses.data() + 16 * k,
                                           q_ref.data() + (shared_ref ? 0 : 6 * k),
                                           out.mutable_data() + 6 * k);
    }
    return py::make_tuple(out, reachable);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "cyclecore motion kernels (private; use cyclecore.motion)";

    m.def("ptp_durations", &ptp_durations, py::arg("q0"), py::arg("q1"), py::arg("vmax"),
          py::arg("amax"), py::arg("jmax"), py::arg("speed_override"), py::arg("isa") = "auto",
          py::arg("q_bound") = std::numeric_limits<double>::infinity());
    m.def("move_time_matrix", &move_time_matrix, py::arg("configs"), py::arg("vmax"),
          py::arg("amax"), py::arg("jmax"), py::arg("speed_override"), py::arg("isa") = "auto");
    m.def("best_isa", [] { return std::string(cyclecore::isa_name(cyclecore::best_isa())); },
          "The vector path the shared-limit 6-axis PTP kernels take on this CPU.");
    m.def("isa_available", [](const std::string& name) {
        for (auto isa : {cyclecore::Isa::scalar, cyclecore::Isa::sse2, cyclecore::Isa::avx2})
            if (name == cyclecore::isa_name(isa)) return cyclecore::isa_available(isa);
        return false;
    }, py::arg("name"));
    m.def("route_totals", &route_totals, py::arg("configs"), py::arg("routes"), py::arg("vmax"),
          py::arg("amax"), py::arg("jmax"), py::arg("speed_override"), py::arg("tcp_positions"));
    m.def("sample_ptp", &sample_ptp, py::arg("q0"), py::arg("q1"), py::arg("vmax"),
          py::arg("amax"), py::arg("jmax"), py::arg("times"), py::arg("speed_override"));
    m.def("linear_move_durations", &linear_move_durations, py::arg("start"), py::arg("end"),
          py::arg("v_max"), py::arg("a_max"), py::arg("j_max"), py::arg("w_max"),
          py::arg("dw_max"), py::arg("ddw_max"), py::arg("speed_override"));
    m.def("linear_path_lengths", &linear_path_lengths, py::arg("start"), py::arg("end"));

    py::class_<cyclecore::OpwRobot>(m, "OpwRobot")
        .def(py::init(&make_robot), py::arg("geometry"), py::arg("offsets"), py::arg("signs"),
             py::arg("joint_min"), py::arg("joint_max"));
    m.def("opw_forward", &opw_forward, py::arg("robot"), py::arg("q"));
    m.def("opw_inverse", &opw_inverse, py::arg("robot"), py::arg("poses"));
    m.def("opw_closest", &opw_closest, py::arg("robot"), py::arg("poses"), py::arg("q_ref"));
}
