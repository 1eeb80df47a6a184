"""Robot models: kinematics and joint limits of an industrial arm type.

A robot model is shared by every robot of that type on the line; a robot (in :mod:`cyclecore.model.line`)
is one physical arm with its base pose and speed override. Files give angles in degrees (field
names say so); the properties return SI arrays (rad, rad/s, rad/s², rad/s³) for the kernels.
The bundled models live in ``cyclecore/data/robot_models.yaml`` with the source of every number.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cyclecore import limits
from cyclecore.model.ranges import Within

# a model's numbers have their ranges from cyclecore.limits: joint ranges within a few turns (an
# unbounded range makes the IK branch search unbounded), speeds and accelerations within what an
# arm can do (5e-324 °/s² would make every move last forever)
_DEG = limits.DEG_PER_RAD
Offset = Within(limits.LINK_OFFSET_M)
Length = Within(limits.LINK_LENGTH_M)
Joint6 = Annotated[list[Within(limits.JOINT_RANGE_RAD, _DEG, "°")], Field(min_length=6, max_length=6)]
Speed6 = Annotated[list[Within(limits.JOINT_SPEED_RAD_S, _DEG, "°/s")], Field(min_length=6, max_length=6)]
Acceleration6 = Annotated[list[Within(limits.JOINT_ACCELERATION_RAD_S2, _DEG, "°/s²")],
                          Field(min_length=6, max_length=6)]
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]  # kept for older imports
Jerk6 = Annotated[list[Within(limits.JOINT_JERK_RAD_S3, _DEG, "°/s³", allow_inf=True)],
                  Field(min_length=6, max_length=6)]  # inf: trapezoidal profiles


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OPWParameters(_Frozen):
    """Ortho-parallel arm with spherical wrist (Brandstötter et al. 2014), lengths in metres.
    Controller joint q maps to the model angle as ``theta = sign * q - offset``."""

    type: Literal["opw"] = "opw"
    a1: Offset
    a2: Offset
    b: Offset
    c1: Offset
    c2: Length
    c3: Length
    c4: Offset
    offsets_deg: Joint6 = [0.0] * 6
    signs: Annotated[list[Literal[-1, 1]], Field(min_length=6, max_length=6)] = [1] * 6


class RobotModel(_Frozen):
    """An arm type: kinematics, joint range and joint speed, acceleration and jerk limits."""

    vendor: str = ""
    description: str = ""
    kinematics: OPWParameters
    joint_min_deg: Joint6
    joint_max_deg: Joint6
    max_velocity_deg_s: Speed6
    max_acceleration_deg_s2: Acceleration6
    max_jerk_deg_s3: Jerk6  # inf allowed: trapezoidal profiles
    sources: dict[str, str] = {}
    # Cartesian limits of linear moves (issue 13). Vendors publish none; cyclecore defaults in the
    # spirit of the joint ones: 0.2 s to full acceleration (jerk = 5 x acceleration per second)
    max_tcp_speed_m_s: Within(limits.TCP_SPEED_M_S) = 2.0  # a linear move without a programmed speed
    max_tcp_acceleration_m_s2: Within(limits.TCP_ACCELERATION_M_S2) = 5.0
    max_tcp_jerk_m_s3: Within(limits.TCP_JERK_M_S3, allow_inf=True) = 25.0
    # the tool's reorientation is an angular motion, bounded like a joint's
    max_orientation_speed_deg_s: Within(limits.JOINT_SPEED_RAD_S, _DEG, "°/s") = 180.0
    max_orientation_acceleration_deg_s2: Within(limits.JOINT_ACCELERATION_RAD_S2, _DEG, "°/s²") = 720.0
    max_orientation_jerk_deg_s3: Within(limits.JOINT_JERK_RAD_S3, _DEG, "°/s³", allow_inf=True) = 3600.0

    @model_validator(mode="after")
    def _range_is_ordered(self):
        for axis, (lo, hi) in enumerate(zip(self.joint_min_deg, self.joint_max_deg)):
            if not lo < hi:
                raise ValueError(
                    f"joint_min_deg[{axis}] = {lo} must be below joint_max_deg[{axis}] = {hi}"
                )
        return self

    @property
    def joint_min(self) -> np.ndarray:
        """Lower joint limits, rad (6,)."""
        return np.radians(self.joint_min_deg)

    @property
    def joint_max(self) -> np.ndarray:
        """Upper joint limits, rad (6,)."""
        return np.radians(self.joint_max_deg)

    @property
    def vmax(self) -> np.ndarray:
        """Joint speed limits, rad/s (6,)."""
        return np.radians(self.max_velocity_deg_s)

    @property
    def amax(self) -> np.ndarray:
        """Joint acceleration limits, rad/s² (6,)."""
        return np.radians(self.max_acceleration_deg_s2)

    @property
    def jmax(self) -> np.ndarray:
        """Joint jerk limits, rad/s³ (6,); inf gives trapezoidal profiles."""
        return np.radians(self.max_jerk_deg_s3)

    @property
    def arm(self):
        """The arm's forward and inverse kinematics (:class:`cyclecore.robot.motion.OPWKinematics`)."""
        from cyclecore.robot.motion import OPWKinematics

        k = self.kinematics
        return OPWKinematics(
            k.a1, k.a2, k.b, k.c1, k.c2, k.c3, k.c4,
            np.radians(k.offsets_deg), np.asarray(k.signs, dtype=float),
            self.joint_min, self.joint_max,
        )


@lru_cache(maxsize=1)
def bundled_robot_models() -> dict[str, RobotModel]:
    """The robot models shipped with cyclecore, by name."""
    text = resources.files("cyclecore").joinpath("data/robot_models.yaml").read_text()
    return {name: RobotModel.model_validate(spec) for name, spec in yaml.safe_load(text).items()}
