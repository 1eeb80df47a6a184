"""cyclecore's own fuzzer: hostile inputs through the real command line, outcomes by class.

A *case* is a folder of files (a line, plant or spot-CSV set) and the commands to run on it.
Cases are either *mutants* of the bundled examples (:mod:`fuzz.mutate`: structure-aware edits of
the parsed documents and CSVs) or the fixed *garbage set* (:mod:`fuzz.garbage`: empty, binary,
deep nesting, alias bombs, huge files and numbers, bad encodings, path escapes, duplicate keys).
A seed fixes every case: case ``i`` of seed ``s`` is the same on any machine.

:mod:`fuzz.runner` pushes the cases through ``cyclecore`` in long-lived worker processes (each
imports cyclecore once and invokes the typer app in-process), with a time limit per command, and
classifies every outcome (:mod:`fuzz.outcomes`); :mod:`fuzz.summary` writes the counts by class
and keeps a reproducer for every run that is neither ok nor a clean rejection.

    python -m fuzz --cases 10000 --out fuzz-run        # the long campaign
    python -m fuzz --replay mutant-17 --seed 0         # one case again, in this process
"""
