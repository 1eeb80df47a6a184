"""A fuzz case: a folder of files and the commands to run on it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Case:
    """Files (relative path -> bytes) written into a fresh folder, and the commands to run there.

    ``commands`` are cyclecore argv lists; ``{file}`` stands for the main file's absolute path and
    ``{dir}`` for the case folder. ``generate`` names a garbage generator for files too large to
    ship between processes (the worker makes them in place). ``fields`` are the field paths a
    mutant changed, so a rejection can be checked for naming them."""

    id: str
    main: str
    files: dict[str, bytes]
    commands: list[list[str]]
    description: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    generate: str | None = None

    def manifest(self) -> dict:
        return {"id": self.id, "main": self.main, "commands": self.commands, "description": self.description,
                "fields": self.fields, "generate": self.generate, "files": sorted(self.files)}

    def manifest_text(self) -> str:
        return json.dumps(self.manifest(), indent=2)
