"""Any line description gives a Line or a LineFileError that names where; never another exception.

Issue 11: line files come from exports, spreadsheets and hand edits. The property: whatever
mapping reaches ``line_from_dict`` (the bundled tutorial line with hostile values put anywhere,
keys deleted, or a mapping made of the schema's own words), the answer is either

- a ``Line`` holding no NaN anywhere, or
- a ``LineFileError`` whose every problem names a field path that exists in the input (all but
  its last step; the last may be a missing required field) or the top level.

Any other exception (TypeError, OverflowError, RecursionError, a kernel's error ...) fails the test.
The oracle for "names the path" walks the input independently of cyclecore's code.
Derandomized: CI runs the same examples every time.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cyclecore
from cyclecore.files.line_file import line_from_dict
from cyclecore.model.errors import LineFileError

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TUTORIAL = yaml.safe_load((Path(cyclecore.__file__).parent / "examples" / "tutorial" / "line.yaml").read_text())


def _paths(tree, parts=()):
    """Every path (tuple of keys and indices) in a parsed document."""
    out = [parts]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out += _paths(value, parts + (key,))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out += _paths(value, parts + (index,))
    return out


PATHS = [p for p in _paths(TUTORIAL) if p]
WORDS = sorted({p[-1] for p in PATHS if isinstance(p[-1], str)} | {
    "robot_models", "costs", "options", "reliability", "manual_bypass", "fixed_time_s", "parallel", "mtbf_h",
    "mttr_min", "kinematics", "joint_min_deg", "joint_max_deg", "max_velocity_deg_s", "tasks", "after"})

hostile_numbers = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 0, 0.0, -1, 1e308, -1e308, 5e-324, 2**63, 2**70, 10**30,
                     10**400, True, False, None]),
    st.floats(), st.integers(min_value=-(2**80), max_value=2**80))
NAMES = ["ST10", "ST20", "R1", "R2", "ST10-R1-1", "ST20-R1-2", "KR210-R3100-2"]


def plausible_for(original):
    """A value of the original's kind near it, so that edits also reach the checks after the schema's."""
    if isinstance(original, bool) or original is None:
        return st.booleans()
    if isinstance(original, (int, float)):
        return st.floats(0.25, 4).map(lambda f: type(original)(original * f) if original else type(original)(f))
    if isinstance(original, str):
        return st.sampled_from(NAMES)
    if isinstance(original, list) and all(isinstance(v, (int, float)) for v in original):
        return st.lists(st.floats(-1.5, 1.5), min_size=len(original), max_size=len(original)).map(
            lambda deltas: [v + d for v, d in zip(original, deltas)])
    return st.just(original)
hostile_values = st.one_of(
    hostile_numbers, st.text(max_size=12), st.sampled_from(["", "R9", "ST10", "ST10-R1-1", "KR210-R3100-2", "x" * 300]),
    st.lists(hostile_numbers, max_size=8), st.dictionaries(st.sampled_from(WORDS), hostile_numbers, max_size=3),
    st.just([]), st.just({}))


@st.composite
def edited_lines(draw):
    """The tutorial line with 1 to 4 edits: a hostile or plausible value at a path, a key deleted,
    a list emptied."""
    data = copy.deepcopy(TUTORIAL)
    calm = draw(st.booleans())  # half the lines get only plausible values: they reach the Line branch
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent = _walk(data, path[:-1])
        if parent is None or not _has(parent, path[-1]):
            continue
        action = "plausible" if calm else draw(st.sampled_from(["value", "value", "value", "delete", "empty"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "empty":
            parent[path[-1]] = [] if isinstance(parent[path[-1]], list) else {}
        elif action == "plausible":
            parent[path[-1]] = draw(plausible_for(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(st.one_of(hostile_values, plausible_for(parent[path[-1]])))
    return data


json_like = st.recursive(
    hostile_values, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.sampled_from(WORDS), inner, max_size=5)),
    max_leaves=30)
schema_words = st.dictionaries(st.sampled_from(WORDS), json_like, max_size=6)


def _has(container, key) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container)


def _walk(data, parts):
    node = data
    for part in parts:
        if not _has(node, part):
            return None
        node = node[part]
    return node


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list:
    """``stations[0].robots[1].model`` -> ['stations', 0, 'robots', 1, 'model']."""
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def assert_line_or_named_refusal(data: dict) -> None:
    try:
        line = line_from_dict(data, source="fuzzed.yaml")
    except LineFileError as error:
        assert error.problems, "a LineFileError with no problem in it"
        text = str(error)
        assert text.startswith("fuzzed.yaml"), text
        for problem in error.problems:
            assert problem.path in text
            if problem.path in ("", "(top level)"):
                continue
            parts = _parts(problem.path.split(" ")[0])
            # all but the last step exist in the input (the last may be a missing required field)
            assert _walk(data, parts[:-1]) is not None, f"{problem.path!r} is not a path of the input: {problem}"
        return
    dumped = repr(line.model_dump())
    assert "nan" not in dumped.lower().replace("name", ""), dumped[:300]


@SETTINGS
@given(edited_lines())
def test_an_edited_tutorial_line_is_a_line_or_a_refusal_naming_its_path(data):
    assert_line_or_named_refusal(data)


@settings(SETTINGS, max_examples=100)
@given(schema_words)
def test_a_mapping_of_schema_words_is_a_line_or_a_refusal_naming_its_path(data):
    assert_line_or_named_refusal(data)


EXTREMES = [math.nan, math.inf, 1e308, 10**400, 2**70]


@pytest.mark.parametrize("field, value", [(f, v) for f in ("max_acceleration_deg_s2", "max_velocity_deg_s")
                                          for v in EXTREMES + [5e-324, -1.0]]
                         + [("joint_max_deg", v) for v in EXTREMES] + [("joint_min_deg", -v) for v in EXTREMES])
def test_a_line_s_own_robot_model_with_an_extreme_number_is_refused_by_its_path(field, value):
    data = copy.deepcopy(TUTORIAL)
    model = yaml.safe_load((Path(cyclecore.__file__).parent / "data" / "robot_models.yaml").read_text())["KR210-R3100-2"]
    model[field] = [value] * 6
    data["robot_models"] = {"MY-ARM": model}
    data["stations"][0]["robots"][0]["model"] = "MY-ARM"
    with pytest.raises(LineFileError) as caught:
        line_from_dict(data, source="fuzzed.yaml")
    assert any(p.path.startswith(f"robot_models.MY-ARM.{field}") for p in caught.value.problems), str(caught.value)
