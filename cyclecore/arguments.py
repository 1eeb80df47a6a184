"""What a public function's arguments must be, declared once, so a mistake reads the same everywhere.

A public function declares each argument it checks with a small spec (:class:`Number`,
:class:`Integer`, :class:`Choice`, :class:`Instance`, :class:`Function`, :class:`Array`) and checks
them with the :func:`arguments` decorator, or with ``spec.check(value, name)`` where a spec
depends on another argument (an array with one value per station). A mistake raises
``ValueError`` in one form::

    target: got True, expected a positive number of products per week
    mtbf_s[1]: got -1.0, expected a number > 0 s (inf = never fails)

Booleans are never numbers; NaN is never a number; inf is refused unless a spec allows it. A
checked value comes back in its plain form (``float``, ``int``, a contiguous ``ndarray``).

This module sits below the kernels and imports only :mod:`cyclecore.limits` (the ranges).
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from dataclasses import dataclass
from typing import Callable

import numpy as np

from cyclecore import limits

_REALS = (int, float, np.integer, np.floating)
_INTEGERS = (int, np.integer)
_BOOLEANS = (bool, np.bool_)


def _show(value) -> str:
    """A value as a message shows it: NaN as ``NaN``, numpy scalars as plain ones, long reprs cut short."""
    if isinstance(value, _BOOLEANS):
        return repr(bool(value))
    if isinstance(value, _REALS):
        if isinstance(value, (float, np.floating)):
            return "NaN" if math.isnan(value) else repr(float(value))
        if abs(int(value)) > 10**30:  # beyond any float (or any repr) of interest
            return f"an integer of {int(value).bit_length()} bits"
        return repr(int(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def refuse(name: str, value, expected: str):
    """Raise the one ``ValueError`` form: ``"<name>: got <value>, expected <expected>"``."""
    error = ValueError(f"{name}: got {_show(value)}, expected {expected}")
    error.__suppress_context__ = True  # raised while handling a conversion error: that one is noise
    raise error


@dataclass(frozen=True)
class _Range:
    """Bounds of a real value: ``above``/``below`` exclude the bound, ``at_least``/``at_most`` include it."""

    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None

    def holds(self, x) -> bool:
        return ((self.above is None or x > self.above) and (self.at_least is None or x >= self.at_least)
                and (self.below is None or x < self.below) and (self.at_most is None or x <= self.at_most))

    def text(self) -> str:
        lower = (f"({_g(self.above)}" if self.above is not None
                 else f"[{_g(self.at_least)}" if self.at_least is not None else None)
        upper = (f"{_g(self.below)})" if self.below is not None
                 else f"{_g(self.at_most)}]" if self.at_most is not None else None)
        if lower and upper:
            return f" in {lower}, {upper}"
        if lower:
            return f" > {lower[1:]}" if lower[0] == "(" else f" >= {lower[1:]}"
        if upper:
            return f" < {upper[:-1]}" if upper[-1] == ")" else f" <= {upper[:-1]}"
        return ""


def _g(bound) -> str:
    return f"{bound:g}" if isinstance(bound, float) else str(bound)


class _Spec:
    """Base of every spec: ``optional`` lets ``None`` through; ``what`` replaces the generated text."""

    optional: bool
    what: str | None

    def check(self, value, name: str):
        """The checked value in its plain form, or ``ValueError`` naming ``name``."""
        if value is None and self.optional:
            return None
        return self._check(value, name)

    def expected(self) -> str:
        text = self.what or self._describe()
        return f"{text} or None" if self.optional and self.what is None else text

    def _check(self, value, name):  # pragma: no cover - every spec defines it
        raise NotImplementedError

    def _describe(self) -> str:  # pragma: no cover - every spec defines it
        raise NotImplementedError


@dataclass(frozen=True)
class Number(_Spec):
    """A real number (int or float, never a bool or NaN), returned as ``float``.

    ``finite=False`` admits ±inf (within the range); ``unit`` ends the generated text (``s``)."""

    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None
    finite: bool = True
    unit: str = ""
    optional: bool = False
    what: str | None = None

    def _check(self, value, name):
        try:
            bad = (isinstance(value, _BOOLEANS) or not isinstance(value, _REALS) or math.isnan(value)
                   or (self.finite and math.isinf(value)) or not self._range().holds(value))
            number = None if bad else float(value)
        except OverflowError:  # an integer beyond every float
            bad = True
        if bad:
            refuse(name, value, self.expected())
        return number

    def _range(self) -> _Range:
        return _Range(self.above, self.at_least, self.below, self.at_most)

    def _describe(self) -> str:
        noun = "a finite number" if self.finite else "a number"
        unit = f" {self.unit}" if self.unit else ""
        return f"{noun}{self._range().text()}{unit}"


@dataclass(frozen=True)
class Integer(_Spec):
    """A whole number of an integer type (``2.0`` and ``True`` are not), returned as ``int``."""

    at_least: int | None = None
    at_most: int | None = None
    optional: bool = False
    what: str | None = None

    def _check(self, value, name):
        if (isinstance(value, _BOOLEANS) or not isinstance(value, _INTEGERS)
                or not _Range(at_least=self.at_least, at_most=self.at_most).holds(value)):
            refuse(name, value, self.expected())
        return int(value)

    def _describe(self) -> str:
        return f"an integer{_Range(at_least=self.at_least, at_most=self.at_most).text()}"


@dataclass(frozen=True)
class Choice(_Spec):
    """One of a fixed set of values (names of models, kernels, objectives), returned as given."""

    options: tuple = ()
    optional: bool = False
    what: str | None = None

    def _check(self, value, name):
        try:
            known = value in self.options and not isinstance(value, _BOOLEANS)
        except TypeError:  # an unhashable value against a dict's keys
            known = False
        if not known:
            refuse(name, value, self.expected())
        return value

    def _describe(self) -> str:
        return f"one of {list(self.options)}"


@dataclass(frozen=True)
class Instance(_Spec):
    """An object of a given type (a cyclecore ``Line``, a ``Plant``); a mistake shows the type got."""

    kind: type | tuple = object
    optional: bool = False
    what: str | None = None

    def _check(self, value, name):
        if not isinstance(value, self.kind):
            got = "None" if value is None else _a(type(value).__name__)
            raise ValueError(f"{name}: got {got}, expected {self.expected()}")
        return value

    def _describe(self) -> str:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return " or ".join(_a(f"{'cyclecore ' if k.__module__.startswith('cyclecore') else ''}{k.__name__}")
                           for k in kinds)


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


@dataclass(frozen=True)
class Function(_Spec):
    """Something to call (a progress callback), returned as given."""

    optional: bool = False
    what: str | None = None

    def _check(self, value, name):
        if not callable(value):
            refuse(name, value, self.expected())
        return value

    def _describe(self) -> str:
        return "a callable"


@dataclass(frozen=True)
class Array(_Spec):
    """A numeric array, returned contiguous as float64 (or int64 with ``integer``).

    ``shape`` lists each axis: an int is an exact length, a name (``"n"``, ``"dof"``) any length
    (one name used twice means equal lengths: ``("n", "n")`` is square); several shapes may be
    allowed (``shapes``); ``nonempty`` refuses an array without entries. ``broadcast`` turns a
    single number into the one allowed 1-D shape (one value per station). The range and
    ``finite`` apply to every entry and a mistake names its index (``mtbf_s[1]``); ``allow_nan``
    lets NaN entries through where NaN means "not given"; ``or_inf`` lets +inf through besides
    the (finite) range where inf means "forbidden" or "never" (a move time, a time between
    failures), so 1e308 is refused while inf is not. An ``integer`` array needs an integer
    dtype, as an integer argument does. Booleans are not numbers here either. The caller's array
    is returned as is when it already is contiguous float64 (int64): copy it before changing it.
    """

    shape: tuple = ("n",)
    shapes: tuple = ()
    integer: bool = False
    nonempty: bool = False
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None
    finite: bool = True
    allow_nan: bool = False
    or_inf: bool = False
    broadcast: bool = False
    unit: str = ""
    optional: bool = False
    what: str | None = None  # what each entry is, e.g. "a cycle time > 0 s"

    def _check(self, value, name):
        raw = value if isinstance(value, np.ndarray) else _as_array(value)
        if (raw is None or raw.dtype.kind not in "iuf"
                or (self.integer and raw.dtype.kind == "f" and raw.size)):  # [] is a float array
            refuse(name, value, self._describe())
        shapes = self.shapes or (self.shape,)
        if self.broadcast and raw.ndim == 0 and len(shapes) == 1 and all(isinstance(d, int) for d in shapes[0]):
            raw = np.full(shapes[0], raw[()])
        if not any(_fits(raw.shape, s) for s in shapes) or (self.nonempty and raw.size == 0):
            some = "a non-empty array of " if self.nonempty else ""
            raise ValueError(f"{name}: got shape {raw.shape}, expected {some}shape {self._shape_text()}")
        array = np.asarray(raw, dtype=np.int64 if self.integer else np.float64, order="C")
        ok = self._ok(array)
        if ok is not None and not ok.all():
            at = tuple(int(i) for i in np.argwhere(~ok)[0]) if array.ndim else ()
            where = f"{name}[{', '.join(str(i) for i in at)}]" if at else name
            refuse(where, array[at].item(), self.what or self._entry_text())
        return array

    def _ok(self, array: np.ndarray) -> np.ndarray | None:
        """Which entries the spec accepts, or None when it accepts every number (no pass over the
        data). Few passes on purpose: motion calls check their arrays on every call."""
        floats = not self.integer
        ok = None
        if floats and self.finite:
            ok = np.isfinite(array)
        elif floats and not self.allow_nan:
            ok = ~np.isnan(array)
        for bound, inside in ((self.above, np.greater), (self.at_least, np.greater_equal),
                              (self.below, np.less), (self.at_most, np.less_equal)):
            if bound is not None:  # NaN is outside every bound
                ok = inside(array, bound) if ok is None else ok & inside(array, bound)
        if ok is not None and floats and self.allow_nan:
            ok |= np.isnan(array)
        if ok is not None and floats and self.or_inf:
            ok |= np.isposinf(array)
        return ok

    def _shape_text(self) -> str:
        return " or ".join(_shape_name(s) for s in (self.shapes or (self.shape,)))

    def _entry_text(self) -> str:
        bounds = _Range(self.above, self.at_least, self.below, self.at_most).text()
        noun = "an integer" if self.integer else "a finite number" if self.finite else "a number"
        unit = f" {self.unit}" if self.unit else ""
        return f"{noun}{bounds}{unit}{' or inf' if self.or_inf else ''}"

    def _describe(self) -> str:
        noun = "an array of integers" if self.integer else "an array of numbers"
        return f"{noun} of shape {self._shape_text()}"


def _as_array(value):
    if isinstance(value, (str, bytes)):
        return None
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):  # ragged nesting, an integer beyond every float
        return None
    if raw.dtype.kind == "O":  # a mix such as [1, None]: numbers only if it converts cleanly
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond any float
            return None
    return raw


def _fits(shape: tuple, pattern: tuple) -> bool:
    if len(shape) != len(pattern):
        return False
    named: dict[str, int] = {}
    for size, want in zip(shape, pattern):
        if isinstance(want, int) and size != want:
            return False
        if isinstance(want, str) and named.setdefault(want, size) != size:
            return False
    return True


def _shape_name(pattern: tuple) -> str:
    names = ["any" if d is None else str(d) for d in pattern]
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def arguments(**specs: _Spec) -> Callable:
    """Decorate a public function: check the named arguments against their specs on every call.

    The function receives the checked values (``float``, ``int``, arrays), so its body never
    re-checks them::

        @arguments(target=Number(above=0, optional=True, what="a positive number of products per week"))
        def analyze(line, target=None): ...
    """

    def decorate(function):
        signature = inspect.signature(function)
        unknown = set(specs) - set(signature.parameters)
        if unknown:  # a typo in a declaration should fail at import, not never check
            raise TypeError(f"{function.__qualname__} has no parameter(s) {sorted(unknown)}")

        @functools.wraps(function)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            for name, spec in specs.items():
                values[name] = spec.check(values[name], name)
            return function(*bound.args, **bound.kwargs)

        checked.argument_specs = dict(specs)
        return checked

    return decorate


# Arguments many public functions share, declared once so they read the same everywhere.
TIME_LIMIT = Number(above=limits.SEARCH_TIME_S.low, at_most=limits.SEARCH_TIME_S.high, unit="s",
                    what=f"a time limit {limits.SEARCH_TIME_S.text()}")  # every combinatorial search
SEED = Integer(at_least=limits.SEED.low, at_most=limits.SEED.high,
               what="an integer seed in [0, 2**63 - 1]")  # every seeded search and simulation
TARGET = Number(at_least=limits.PRODUCTS_PER_WEEK.low, at_most=limits.PRODUCTS_PER_WEEK.high, optional=True,
                what=f"a positive number of products per week {limits.PRODUCTS_PER_WEEK.text()[:-len(' products/week')]}")  # plant output
WEEKS = Number(above=limits.SIMULATED_WEEKS.low, at_most=limits.SIMULATED_WEEKS.high,
               what=f"a number of weeks {limits.SIMULATED_WEEKS.text()[:-len(' weeks')]}")  # a simulated window
REPLICATIONS = Integer(at_least=limits.REPLICATIONS[0], at_most=limits.REPLICATIONS[1])
PROGRESS = Function(optional=True, what="a callable progress(done, total) or None")
PATH = Instance((str, os.PathLike), what="a file path (text or pathlib.Path)")
CONFIDENCE = Number(above=0, below=1, optional=True, what="a confidence level 0 < p < 1 (e.g. 0.9)")


def check_time_limit(time_limit, name: str = "time_limit") -> float:
    """A search time limit: seconds in (0, 86400]."""
    return TIME_LIMIT.check(time_limit, name)


def check_seed(seed, name: str = "seed") -> int:
    """A random seed: an integer in [0, 2**63 - 1]."""
    return SEED.check(seed, name)


__all__ = ["Array", "Choice", "Function", "Instance", "Integer", "Number", "PROGRESS", "REPLICATIONS", "SEED",
           "TARGET", "TIME_LIMIT", "WEEKS", "arguments", "check_seed", "check_time_limit", "refuse"]
