"""Plant figures: line designs making the same unit, each design built as identical copies
(:mod:`cyclecore.model.plant`; the file format is :mod:`cyclecore.files.plant_file`).

Plant figures (per week, each design with its own calendar; "units" are what the lines make,
"products" what the plant ships, products = units / units_per_product):

- plant units/week = Σ over designs of copies × units/week of one copy (at 100 % availability);
  the two availability estimates of :func:`cyclecore.analysis.deterministic.analyze` add up the same way.
- share of a design = its copies × units/week ÷ plant units/week (at 100 % availability).
- For a target T products/week the plant needs T × units_per_product units/week. The target is
  split in proportion to the shares, so one copy of a design must make
  T × units_per_product × share / copies units/week; its takt follows from its calendar.
  Because the split is proportional, at 100 % availability either every design is short or none
  is (the plant gap decides); the availability estimates then show which designs fall short of
  their share first.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.arguments import TARGET, Instance, arguments
from cyclecore.model.plant import Plant
from cyclecore.results import Result, lookup

NO_TARGET = "no target given"


@dataclass(frozen=True)
class PlantLineAnalysis(Result):
    """One design of a plant (all outputs per week; "per copy" is one of its identical lines).

    The line figures are :func:`cyclecore.analysis.deterministic.analyze` of the line without a target. With a
    plant target, the ``gap_*`` fields are units/week one copy must make for its share minus what
    it makes (positive: short of its share) at 100 % availability and at the two estimates.
    """

    name: str
    line: str
    file: str
    copies: int  # identical_lines of the design
    line_cycle_s: float  # cycle of one copy (its bottleneck's effective cycle), s
    bottleneck: str  # station name
    units_per_week: float  # one copy, 100 % availability
    units_per_week_no_buffers: float  # one copy, estimate with isolated availabilities, no buffers
    units_per_week_ample_buffers: float  # one copy, estimate with isolated availabilities, ample buffers
    design_units_per_week: float  # all copies: copies × units_per_week
    share: float  # design_units_per_week / plant units_per_week (0…1)
    target_units_per_week: float | None  # one copy's share of the plant target
    takt_s: float | None  # cycle one copy needs for target_units_per_week (its calendar)
    gap_s: float | None  # line_cycle_s − takt_s (positive: cycle time to remove)
    gap_units_per_week: float | None  # target_units_per_week − units_per_week
    gap_units_per_week_no_buffers: float | None  # target_units_per_week − units_per_week_no_buffers
    gap_units_per_week_ample_buffers: float | None  # target_units_per_week − units_per_week_ample_buffers

    missing_reasons = {name: NO_TARGET for name in
                       ("target_units_per_week", "takt_s", "gap_s", "gap_units_per_week",
                        "gap_units_per_week_no_buffers", "gap_units_per_week_ample_buffers")}


@dataclass(frozen=True)
class PlantAnalysis(Result):
    """Plant output from its designs (per week). ``products = units / units_per_product``.

    Totals are Σ copies × per-copy figure over the designs. With a target (products/week):
    ``gap_products_per_week`` = target − products_per_week (positive: the plant is short at 100 %
    availability; the ``_no_buffers`` / ``_ample_buffers`` gaps use the estimates), and
    ``short_lines*`` name the designs short of their proportional share in each view.
    """

    plant: str
    units_per_product: int
    lines: tuple[PlantLineAnalysis, ...]
    units_per_week: float
    products_per_week: float
    units_per_week_no_buffers: float
    products_per_week_no_buffers: float
    units_per_week_ample_buffers: float
    products_per_week_ample_buffers: float
    target_products_per_week: float | None
    target_units_per_week: float | None  # target × units_per_product
    gap_products_per_week: float | None
    gap_products_per_week_no_buffers: float | None
    gap_products_per_week_ample_buffers: float | None
    short_lines: tuple[str, ...] | None  # at 100 % availability: all designs or none
    short_lines_no_buffers: tuple[str, ...] | None
    short_lines_ample_buffers: tuple[str, ...] | None

    missing_reasons = {name: NO_TARGET for name in
                       ("target_products_per_week", "target_units_per_week", "gap_products_per_week",
                        "gap_products_per_week_no_buffers", "gap_products_per_week_ample_buffers",
                        "short_lines", "short_lines_no_buffers", "short_lines_ample_buffers")}

    def line(self, name: str) -> PlantLineAnalysis:
        return lookup(self.lines, name, owner=f"plant {self.plant!r}", kind="line")

    def __rich__(self):
        from cyclecore.analysis.tables import plant_analysis_text

        return plant_analysis_text(self)


@arguments(plant=Instance(Plant), target=TARGET)
def analyze_plant(plant: Plant, target: float | None = None) -> PlantAnalysis:
    """Output of every design and of the plant; ``target`` in products per week (e.g. cars/week).

    Each design is analysed with :func:`cyclecore.analysis.deterministic.analyze` (no target: a line's own
    target would assume it made the whole plant's output); see the module docstring for the
    meaning of each figure.
    """
    from cyclecore.analysis.deterministic import analyze

    upp = plant.units_per_product
    analyses = [_analyze_design(analyze, k, entry) for k, entry in enumerate(plant.lines)]
    design = [entry.copies * a.units_per_week for entry, a in zip(plant.lines, analyses)]
    units = float(sum(design))
    no_buffers = float(sum(e.copies * a.units_per_week_no_buffers for e, a in zip(plant.lines, analyses)))
    ample = float(sum(e.copies * a.units_per_week_ample_buffers for e, a in zip(plant.lines, analyses)))
    target_units = None if target is None else float(target) * upp

    results = []
    for entry, a, design_units in zip(plant.lines, analyses, design):
        share = design_units / units
        need = None if target_units is None else target_units * share / entry.copies
        takt = None if need is None else entry.line.calendar.takt_s(need)
        results.append(PlantLineAnalysis(
            name=entry.name, line=a.line, file=entry.file, copies=entry.copies,
            line_cycle_s=a.line_cycle_s, bottleneck=a.bottleneck,
            units_per_week=a.units_per_week,
            units_per_week_no_buffers=a.units_per_week_no_buffers,
            units_per_week_ample_buffers=a.units_per_week_ample_buffers,
            design_units_per_week=design_units, share=share,
            target_units_per_week=need, takt_s=takt,
            gap_s=None if takt is None else a.line_cycle_s - takt,
            gap_units_per_week=None if need is None else need - a.units_per_week,
            gap_units_per_week_no_buffers=None if need is None else need - a.units_per_week_no_buffers,
            gap_units_per_week_ample_buffers=None if need is None else need - a.units_per_week_ample_buffers,
        ))

    def short(field: str):
        if target is None:
            return None
        return tuple(r.name for r in results if getattr(r, field) > 0)

    def gap(plant_units: float):
        return None if target is None else float(target) - plant_units / upp

    return PlantAnalysis(
        plant=plant.name, units_per_product=upp, lines=tuple(results),
        units_per_week=units, products_per_week=units / upp,
        units_per_week_no_buffers=no_buffers, products_per_week_no_buffers=no_buffers / upp,
        units_per_week_ample_buffers=ample, products_per_week_ample_buffers=ample / upp,
        target_products_per_week=None if target is None else float(target),
        target_units_per_week=target_units,
        gap_products_per_week=gap(units),
        gap_products_per_week_no_buffers=gap(no_buffers),
        gap_products_per_week_ample_buffers=gap(ample),
        short_lines=short("gap_units_per_week"),
        short_lines_no_buffers=short("gap_units_per_week_no_buffers"),
        short_lines_ample_buffers=short("gap_units_per_week_ample_buffers"),
    )


def _analyze_design(analyze, k: int, entry):
    """One design's analysis; a line that cannot be analysed names its file (a plant has several)."""
    try:
        return analyze(entry.line)
    except ValueError as error:
        if type(error) is not ValueError:  # a file error already names its file
            raise
        raise ValueError(f"{entry.file or entry.name} (lines[{k}] of the plant): {error}") from None
