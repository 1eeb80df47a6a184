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

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Joint6 = Annotated[list[float], Field(min_length=6, max_length=6)]
Positive6 = Annotated[list[PositiveFloat], Field(min_length=6, max_length=6)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OPWParameters(_Frozen):
    """Ortho-parallel arm with spherical wrist (Brandstötter et al. 2014), lengths in metres.
    Controller joint q maps to the model angle as ``theta = sign * q - offset``."""

    type: Literal["opw"] = "opw"
    a1: float
    a2: float
    b: float
    c1: float
    c2: PositiveFloat
    c3: PositiveFloat
    c4: float
    offsets_deg: Joint6 = [0.0] * 6
    signs: Annotated[list[Literal[-1, 1]], Field(min_length=6, max_length=6)] = [1] * 6


class RobotModel(_Frozen):
    """An arm type: kinematics, joint range and joint speed, acceleration and jerk limits."""

    vendor: str = ""
    description: str = ""
    kinematics: OPWParameters
    joint_min_deg: Joint6
    joint_max_deg: Joint6
    max_velocity_deg_s: Positive6
    max_acceleration_deg_s2: Positive6
    max_jerk_deg_s3: Annotated[
        list[Annotated[float, Field(gt=0)]], Field(min_length=6, max_length=6)
    ]  # inf allowed: trapezoidal profiles
    sources: dict[str, str] = {}

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
