"""The ranges a real line can have, written down once with their reasons.

Every number that enters cyclecore (a line file, a robot model, a public function's argument)
is checked against one of these ranges at the boundary. A range is wide enough for any real
automotive or electronics line, and narrow enough that the kernels finish in bounded time and
memory and every result stays finite. A value outside is a user mistake: the message names the
field and the range, never a traceback, a hang, NaN or inf later on.

Work ceilings (``MAX_*_EVENTS``...) bound what one request may cost; a request estimated above
its ceiling is refused before it starts, with a message suggesting a smaller value.

Units are SI (s, m, rad) unless the name says otherwise. This module imports nothing of cyclecore.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """A closed range ``[low, high]`` (``low_open`` excludes ``low``) with the reason for it."""

    low: float
    high: float
    unit: str
    reason: str
    low_open: bool = False

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        return (value > self.low if self.low_open else value >= self.low) and value <= self.high

    def text(self) -> str:
        """``"in (0, 86400] s"``: the form every message uses."""
        bracket = "(" if self.low_open else "["
        unit = f" {self.unit}" if self.unit else ""
        return f"in {bracket}{self.low:g}, {self.high:g}]{unit}"

    def scaled(self, factor: float, unit: str) -> "Limit":
        """The same range in another unit (``factor`` SI → field unit), for fields whose name
        gives the unit (``mtbf_h``, ``joint_max_deg``); the range itself stays defined once."""
        return Limit(self.low * factor, self.high * factor, unit, self.reason, self.low_open)


@dataclass(frozen=True)
class Count:
    """A closed range of whole numbers ``[low, high]`` with the reason for it."""

    low: int
    high: int
    unit: str
    reason: str

    def holds(self, value: int) -> bool:
        return self.low <= value <= self.high

    def text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"in [{self.low:,}, {self.high:,}]{unit}"


DEG_PER_RAD = 180.0 / math.pi


# --- time ---------------------------------------------------------------------------------------
DURATION_S = Limit(0.0, 86_400.0, "s", "a process, logic, index or cycle time of more than a day "
                   "is no automated station's; longer values are unit mistakes (ms for s)")
CYCLE_S = Limit(0.0, 86_400.0, "s", "as DURATION_S, but a cycle must take some time", low_open=True)
MTBF_S = Limit(1.0, 3.2e9, "s", "at least a second between failures; at most a century (inf, where "
               "allowed, means never fails)")
MTTR_S = Limit(0.0, 2_592_000.0, "s", "a repair longer than 30 days is a rebuild, not a repair")
HORIZON_S = Limit(0.0, 3.2e8, "s", "a simulated horizon beyond 10 years is no planning question",
                  low_open=True)

# --- space --------------------------------------------------------------------------------------
POSITION_M = Limit(-100.0, 100.0, "m", "a pose or offset farther than 100 m from the robot base "
                   "is out of any cell; mm entered as m is the usual mistake")
IK_TARGET_M = Limit(-10_000.0, 10_000.0, "m", "a target handed to inverse kinematics, in the robot's "
                    "base frame: a cell position (±100 m) seen from a base up to 100 m away, plus a tool; "
                    "beyond any arm's reach it is simply unreachable, the range only keeps IK finite")
LINK_LENGTH_M = Limit(0.0, 20.0, "m", "the largest industrial arms reach about 4 m; 20 m leaves "
                      "room for gantries and tracks", low_open=True)
LINK_OFFSET_M = Limit(-20.0, 20.0, "m", "a signed kinematic offset (OPW a1, a2, b, c1, c4): as "
                      "LINK_LENGTH_M, either side")
JOINT_RANGE_RAD = Limit(-4 * math.pi, 4 * math.pi, "rad", "a revolute joint turns at most two "
                        "turns either way (±720°); wider ranges make IK branch searches unbounded")
JOINT_POSITION_RAD = Limit(-1_000.0, 1_000.0, "rad", "a joint value whose moves are timed: an arm's "
                           "stays within JOINT_RANGE_RAD, but endless axes (turntables, tool changers) "
                           "sit many turns from zero; beyond 1,000 a move's length loses its precision")

# --- motion -------------------------------------------------------------------------------------
JOINT_SPEED_RAD_S = Limit(1e-3, 100.0, "rad/s", "from a slow positioner to far above any arm's "
                          "fastest axis (about 10 rad/s)", low_open=False)
JOINT_ACCELERATION_RAD_S2 = Limit(1e-3, 1e4, "rad/s²", "an axis accelerating slower than this "
                                  "never reaches speed within a cycle; faster is not physical")
JOINT_JERK_RAD_S3 = Limit(1e-3, 1e7, "rad/s³", "jerk limits of real controllers lie within")
TCP_SPEED_M_S = Limit(1e-4, 20.0, "m/s", "from a dispensing crawl to above any arm's TCP speed")
TCP_ACCELERATION_M_S2 = Limit(1e-3, 1e3, "m/s²", "a tool accelerating slower never reaches speed "
                              "within a cycle; 100 g is beyond any arm")
TCP_JERK_M_S3 = Limit(1e-3, 1e6, "m/s³", "as the joints' jerk, for the tool (inf, where allowed, "
                      "gives trapezoidal profiles)")
SPEED_OVERRIDE = Limit(0.01, 1.0, "", "controllers take overrides from 1 % to 100 %; below, every move "
                       "time divides by almost nothing")
ORIENTATION_RAD = Limit(-4 * math.pi, 4 * math.pi, "rad", "an orientation angle (roll, pitch, yaw) "
                        "beyond two turns either way is a typing or unit mistake")

# --- line ---------------------------------------------------------------------------------------
# (low, high) pairs, kept as pairs for the kernels that unpack them; Count gives them a message
BUFFER_PLACES = (0, 100_000)          # places: a buffer of more parts than a week's output is a store
PARALLEL_COPIES = (1, 1_000)          # identical copies of one station
TASKS_PER_LINE = (1, 1_000_000)       # loading is linear; this only bounds memory
REPLICATIONS = (1, 100_000)           # independent simulation runs of one request
BUFFER = Count(*BUFFER_PLACES, "places", "a buffer holding more parts than a week's output is a "
               "store, and the simulator keeps every place in memory")
PARALLEL = Count(*PARALLEL_COPIES, "copies", "identical copies of one station side by side")
TASKS = Count(*TASKS_PER_LINE, "tasks", "loading is linear; this only bounds memory")
ROBOTS_PER_STATION = Count(0, 64, "robots", "a cell holds a handful of robots (the body shop up to 4); "
                           "each robot's program is checked against every task of its station")
TASKS_PER_STATION = Count(0, 20_000, "tasks", "a station's robots do a few hundred tasks a cycle; "
                          "20,000 leaves room for generated lines while inverse kinematics, sequencing "
                          "and the checks of one station stay within seconds")
LINE_COPIES = Count(1, 1_000, "lines", "identical copies of a line design in a plant")
UNITS_PER_PRODUCT = Count(1, 10_000, "units", "units of this line in one product (modules per car)")
OPERATORS = Count(1, 1_000, "operators", "people on one station's manual bypass")
TOOLS = Count(1, 1_000, "tools", "different tools one station may use")
ZONE_NUMBER = Count(-1_000_000, 1_000_000, "", "a zone's number is a label; larger ones are typos")

# --- line simulation (cyclecore.linesim) ---------------------------------------------------------
SIMULATED_STATIONS = Count(1, 1_000, "stations", "a serial line of more stations is no line's; the "
                           "simulator keeps about 70 kB of timeline per station and replication")
WEIBULL_SHAPE = Limit(0.2, 20.0, "", "failure data fit shapes from about 0.5 (early failures) to 5 "
                      "(wear-out); beyond, Gamma(1 + 1/k) overflows or the draws lose all spread")
LOGNORMAL_SIGMA = Limit(0.0, 3.0, "", "repair and failure data have log-space sigmas of about 0.3 to "
                        "1.5; at 3 one sigma is a factor 20, beyond the draws overflow", low_open=True)

# --- money, people and weeks (the cost book and declared options) -------------------------------
MONEY = Limit(0.0, 1e12, "", "a trillion of any currency is beyond any line's budget; keeps every "
              "sum of a plan finite")
LEAD_TIME_WEEKS = Limit(0.0, 520.0, "weeks", "a change that takes more than 10 years to arrive is "
                        "no change to plan")
DOWNTIME_H = Limit(0.0, 8_760.0, "h", "an installation stopping the line for more than a year")
ENGINEERING_H = Limit(0.0, 1e6, "h", "about 500 engineer-years for one change")
OPERATORS_PER_SHIFT = Limit(0.0, 1_000.0, "operators", "people a lever adds per shift")
OPERATORS_CHANGED = Limit(-1_000.0, 1_000.0, "operators", "people a declared option adds (or frees, "
                          "when negative) per shift")

# --- work ceilings ------------------------------------------------------------------------------
MAX_SIMULATED_EVENTS = 2_000_000_000  # station-parts per request: about 20 s of the max-plus kernel
MAX_PRODUCTS_PER_WEEK = 1e9            # a target above this is no line's
PRODUCTS_PER_WEEK = Limit(1e-3, MAX_PRODUCTS_PER_WEEK, "products/week", "a target: below one product "
                          "in 20 years its takt is no cycle time (5e-324 gave an infinite takt); above a "
                          "billion a week no plant's")
MAX_MOVE_TIME_MATRIX_CONFIGS = 10_000  # configurations of one move-time matrix: its (n, n) float64
                                       # entries take 800 MB; a robot's program has hundreds
MAX_TRAJECTORY_SAMPLES = 10_000_000    # (time, axis) samples of one sampled move: four arrays of 80 MB

# --- searches and their requests (balancing, sequencing, the CLI's options; engineer F) ---------
SEARCH_TIME_S = Limit(0.0, 86_400.0, "s", "a search's effort is sized from its time limit; a day "
                      "is beyond any interactive question and keeps every effort count finite",
                      low_open=True)
SEED = Count(0, 2**63 - 1, "", "seeds feed 64-bit generators (numpy, Numba, OR-Tools, CP-SAT); a "
             "larger integer overflows them")
BALANCING_TASKS = Count(1, 2_000, "tasks", "a zone of a real line has hundreds of tasks; the "
                        "precedence closure takes n² cells, 2,000 tasks is twice the largest public "
                        "benchmark (Otto et al., n = 1,000) in under 100 MB")
ROUTE_NODES = Count(1, 5_000, "nodes", "one robot's tasks and their IK alternatives, home included: "
                    "real programs have tens to hundreds; the sequencers hold a few n x n tables")
PLAN_SEARCHED_TASKS = Count(1, 150, "tasks", "a station the plan searches (re-sequence, add robots, "
                            "rebalance its zone): real stations have tens (the bundled lines at most 93); "
                            "510 tasks took 18 s to re-sequence and 26 s to split (measured), so larger "
                            "stations keep their programs and the plan says so")
SIMULATED_WEEKS = Limit(0.0, HORIZON_S.high / 604_800.0, "weeks", "HORIZON_S in weeks", low_open=True)
RAMP_WEEKS = Count(1, 520, "weeks", "a ramp longer than 10 years is no ramp to plan (as LEAD_TIME_WEEKS)")
LABOUR_POOL = Limit(0.0, 1e6, "operators", "people available or hired: a plant employs thousands, "
                    "a million keeps every week's sum finite")

# --- files --------------------------------------------------------------------------------------
MAX_FILE_BYTES = 64 * 1024 * 1024     # a line, plant, plan or spot file: the largest real ones are a
                                      # few MB (the body shop's 72 robots: 0.2 MB), and a parsed JSON
                                      # line takes about 8x its size in memory
MAX_PROGRAM_BYTES = 16 * 1024 * 1024  # a robot program: the largest real one seen is 419 KB; a
                                      # controller holds a few MB of programs in all
MAX_PATH_CHARACTERS = 4096                # a file reference in a file: the longest path Linux takes
MAX_NESTING = 64                      # JSON/YAML depth: a line file nests about 6 deep
MAX_YAML_ALIASES = 10_000             # alias uses in one file: the body shop has 141
MAX_CSV_FIELD_BYTES = 64 * 1024       # one CSV cell: names and numbers are short
MAX_INTEGER_DIGITS = 30               # a count or an id with more digits is no real value
MAX_YAML_ALIAS_NODES = 1_000_000      # nodes aliases may add once expanded: the bundled lines add
                                      # hundreds; an alias bomb adds billions from a few hundred bytes
MAX_CSV_ROWS = TASKS_PER_STATION.high  # a spot list is one station's tasks
