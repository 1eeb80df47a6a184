"""Writing output files: checked before any work starts, then written whole or not at all.

A command that computes for minutes must not find out only at the end that ``-o`` points into a
missing folder, and a crash or a full disk must never leave half a file, a changed file beside an
unchanged one, or a temporary file behind. So:

- :func:`check_writable` is called for every output path before any work (the CLI does so for
  each ``-o``, ``--report``, ``--curve``, ``--csv``): the folder exists and takes a new file (a
  real probe, which also catches read-only file systems), the path is no folder nor a device, and
  its suffix is one the command writes. It raises :class:`OutputFileError` (a ``ValueError``: a
  user mistake, exit code 2) naming the path and what was expected.
- :func:`write_all_or_nothing` writes each text to a temporary file beside its target, fsyncs it,
  renames them all into place and fsyncs each folder, so the new names survive a power cut. A
  failure before the renames leaves every target as it was; a failure during them puts the files
  already replaced back (from hard links made beforehand). Temporary files are removed on every
  path out.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

from cyclecore.model.errors import OutputFileError

_PREFIX = ".cyclecore-"


def check_writable(path: str | Path, suffixes: tuple[str, ...] | None = None) -> Path:
    """``path`` as an output file, checked before any work is done.

    Raises :class:`OutputFileError` naming it when its suffix is not one of ``suffixes`` (when
    given), it is a folder or not a regular file, its folder is missing, or no file can be created
    there. Returns the path."""
    path = Path(path)
    if suffixes is not None and path.suffix.lower() not in tuple(s.lower() for s in suffixes):
        raise OutputFileError(path, f"expected a file name ending in {', '.join(suffixes)}")
    if path.is_dir():
        raise OutputFileError(path, "is a folder; expected a file name")
    if path.exists() and not path.is_file():
        raise OutputFileError(path, "is not a regular file (a device or pipe); expected a file name")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputFileError(path, f"folder {folder} {what}; expected an existing folder (create it first)")
    try:  # the only sure test: create a file there (permissions, read-only mounts, quotas)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=_PREFIX, suffix=".probe")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise OutputFileError(path, f"cannot create a file in {folder} ({error.strerror or error}); "
                                    "expected a folder you can write to") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputFileError(path, "is read-only; expected a file you may replace")
    return path


def write_all_or_nothing(files: dict[Path, str | bytes]) -> None:
    """Write several files so that either all of them are written or none is changed.

    Text is written as UTF-8. Raises :class:`OutputFileError` naming the file when one cannot be
    written; every target is then as it was and no temporary file is left."""
    targets = [(Path(path), text) for path, text in files.items()]
    for path, _ in targets:
        check_writable(path)
    temporary: list[tuple[str, Path]] = []
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for path, text in targets:
            data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
            try:
                handle, name = tempfile.mkstemp(dir=path.parent, prefix=_PREFIX + path.name + ".",
                                                suffix=".tmp")
            except OSError as error:
                raise OutputFileError(path, f"cannot be written ({error.strerror or error})") from None
            temporary.append((name, path))
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(name, _mode_for(path))
            except OSError as error:
                raise OutputFileError(path, f"cannot be written ({error.strerror or error})") from None
        for path, _ in targets:  # keep what is there, to put back if a later rename fails
            if path.is_file():
                backup = str(path.parent / f"{_PREFIX}{path.name}.{secrets.token_hex(6)}.old")
                try:
                    os.link(path, backup)
                    backups[path] = backup
                except OSError:
                    pass  # no hard links here: the rename is still atomic per file
        try:
            for name, path in temporary:
                os.replace(name, path)
                replaced.append(path)
        except OSError as error:
            _restore(replaced, backups)
            raise OutputFileError(path, f"cannot be written ({error.strerror or error}); "
                                        "no file was changed") from None
        for folder in {path.parent for path, _ in targets}:
            _fsync_folder(folder)
    finally:
        for name, _ in temporary:
            _remove(name)
        for backup in backups.values():
            _remove(backup)


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets the usual ones (0666 less umask)."""
    if path.is_file():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _restore(replaced: list[Path], backups: dict[Path, str]) -> None:
    for path in replaced:
        try:
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _fsync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a platform without folder handles (Windows): the rename is what it offers
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass
    except OSError:
        pass
