"""Names a package exports but loads on first use, so that importing it stays cheap (no Numba
kernels compiled, no OR-Tools loaded until a function that needs them is called)."""

from __future__ import annotations

import importlib


def lazy_exports(package: str, exports: dict, namespace: dict):
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps a public name to its module,
    or to ``(module, attribute)``; a loaded name is kept in ``namespace`` (the package's globals);
    ``__dir__`` lists the package's ``__all__``."""

    def __getattr__(name: str):
        try:
            target = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module, attribute = target if isinstance(target, tuple) else (target, name)
        value = getattr(importlib.import_module(module), attribute)
        namespace[name] = value
        return value

    def __dir__():
        return namespace["__all__"]

    return __getattr__, __dir__
