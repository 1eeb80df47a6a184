"""Reading a YAML or JSON document within bounds: a mapping, or a :class:`LineFileError` saying why not.

Line, plant and spot files come from exports, spreadsheets and hand edits, so the reader assumes
nothing about them. Every limit below is one of :mod:`cyclecore.limits` and ends in a clean
message naming the file and, where there is one, the field path:

- size: a file over ``MAX_FILE_BYTES`` is not read at all;
- encoding: UTF-8 only (a BOM is allowed); another encoding names the byte and its position;
- nesting: deeper than ``MAX_NESTING`` levels (a line file nests about 6) is refused while
  parsing, never a ``RecursionError``;
- YAML aliases: at most ``MAX_YAML_ALIASES`` alias uses, no alias to a node that contains it, and
  expanded the document may grow by at most ``MAX_YAML_ALIAS_NODES`` nodes. The size is counted on
  the composed node graph, where an alias is a shared node, so an alias bomb of a few hundred
  bytes is measured in microseconds and refused before anything is built from it;
- integers of more than ``MAX_INTEGER_DIGITS`` digits (Python refuses to read 4,300 anyway);
- duplicate keys: refused, naming the key's path (YAML and JSON otherwise let the last one win).

YAML is parsed by libyaml when it is installed (PyYAML's C parser) and composed in Python, where
the depth and alias limits are enforced; tags other than the standard ones never construct objects
(the safe constructor).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from cyclecore import limits
from cyclecore.model.errors import LineFileError, Problem, format_path
from cyclecore.model.line import gc_paused

try:  # libyaml's parser: several times faster than the pure-Python one, same events
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)

_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"
NESTING_TEXT = f"expected at most {limits.MAX_NESTING} levels of nesting (a line file nests about 6)"


class _Refused(Exception):
    """A limit crossed while reading: the field path (may be empty) and what was expected."""

    def __init__(self, path: str, expected: str):
        super().__init__(expected)
        self.problem = Problem(path, expected)


def path_text_problem(reference: str) -> str | None:
    """Why the text ``reference`` cannot name a file on any system (a NUL or another control
    character, longer than ``limits.MAX_PATH_CHARACTERS``), or None. Checked before a path is
    resolved: the system's own refusal (``embedded null byte``) names neither file nor field."""
    if len(reference) > limits.MAX_PATH_CHARACTERS:
        return f"a path of {len(reference):,} characters; expected at most {limits.MAX_PATH_CHARACTERS:,}"
    if any(ord(c) < 32 or ord(c) == 127 for c in reference):
        return "a path with a control character (NUL, newline...); expected a file name"
    return None


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (missing, a folder or device, a name the system
    refuses: too long, a loop of links), or None when it is a regular file."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as error:  # ENAMETOOLONG, ELOOP, EACCES ...: Path.is_file() raises these
        return f"cannot be read ({error.strerror or error})"
    except ValueError:  # a NUL in the name
        return "cannot be read (a control character in its name)"
    return None if stat.S_ISREG(mode) else "is not a regular file"


def read_bounded_text(path: Path, what: str) -> str:
    """The UTF-8 text of ``path`` (a BOM dropped), or :class:`LineFileError` naming the file:
    missing, not a regular file, larger than ``MAX_FILE_BYTES``, or not UTF-8."""
    problem = file_problem(path)
    if problem is not None:
        raise LineFileError(path, [Problem("", f"{problem} (expected {what})")])
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise LineFileError(path, [Problem("", f"file of {size:,} bytes; expected at most "
                                               f"{limits.MAX_FILE_BYTES:,} bytes ({what})")])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LineFileError(path, [Problem("", f"cannot be read ({error.strerror or error})")]) from None
    return decode_utf8(data, path)


def decode_utf8(data: bytes, path: Path, field: str = "") -> str:
    """``data`` as UTF-8 text, or :class:`LineFileError` naming the first byte that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LineFileError(path, [Problem(field, f"byte 0x{data[error.start]:02x} at line {line} is not UTF-8; "
                                                  "expected UTF-8 text (save the file as UTF-8)")]) from None


def parse_document(path: Path, text: str, syntax: str | None = None) -> object:
    """The value of a YAML or JSON document (``syntax`` "json" or "yaml"; by default by ``path``'s
    suffix), every limit checked; :class:`LineFileError` naming ``path`` otherwise."""
    syntax = syntax or ("json" if path.suffix.lower() == ".json" else "yaml")
    try:
        with gc_paused():
            if syntax == "json":
                return _parse_json(text)
            return _parse_yaml(text)
    except _Refused as refused:
        raise LineFileError(path, [refused.problem]) from None
    except json.JSONDecodeError as error:
        raise LineFileError(path, [Problem("", f"invalid JSON at line {error.lineno}, column {error.colno}: "
                                               f"{error.msg}")]) from None
    except RecursionError:  # only a nesting far beyond MAX_NESTING gets here
        raise LineFileError(path, [Problem("", NESTING_TEXT)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        if "nesting depth" in reason:  # libyaml's own bound, far beyond ours
            reason = f"nested too deep; {NESTING_TEXT}"
        raise LineFileError(path, [Problem("", f"invalid YAML{where}: {reason}")]) from None
    except ValueError as error:  # e.g. a value the safe constructor cannot read (a bad date)
        raise LineFileError(path, [Problem("", f"invalid value: {str(error)[:200]}")]) from None


# --- JSON ---------------------------------------------------------------------------------------


class _DuplicateKeys(dict):
    """A JSON object that repeated some keys (the first value is kept, the repeats listed)."""

    repeated: list


class _LongInteger(str):
    """An integer literal with too many digits, kept as text until its path is known."""


_NOT_STRUCTURE = bytes(code for code in range(256) if code not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')


def _json_depth(text: str) -> int:
    """The deepest nesting of brackets in JSON text, at the speed of C (bytes, re and numpy, no
    Python loop per character): escaped backslashes and quotes dropped, then everything but
    brackets and quotes, then strings; what is left is brackets alone, whose running sum is the
    depth."""
    data = text.encode("utf-8").replace(b"\\\\", b"").replace(b'\\"', b"")
    # two quotes side by side are an empty string or the seam of two strings: nothing outside a
    # string lies between them, so they go first (most strings hold no bracket), the rest by regex
    brackets = _STRING.sub(b"", data.translate(None, _NOT_STRUCTURE).replace(b'""', b""))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int64)
    return int(np.cumsum(steps).max())


def _parse_json(text: str) -> object:
    depth = _json_depth(text)
    if depth > limits.MAX_NESTING:  # before parsing: the parser itself would recurse that deep
        raise _Refused("", f"nested {depth:,} levels deep; {NESTING_TEXT}")
    flagged = []

    def mapping(pairs):
        out = dict(pairs)
        if len(out) != len(pairs):  # a key given twice (rare: only then is it found and named)
            seen, repeated = set(), []
            for key, _ in pairs:
                if key in seen:
                    repeated.append(key)
                else:
                    seen.add(key)
            out = _DuplicateKeys((key, value) for key, value in reversed(pairs))
            out.repeated = repeated
            flagged.append(out)
        return out

    def integer(digits: str):
        if len(digits) > limits.MAX_INTEGER_DIGITS and len(digits.lstrip("-")) > limits.MAX_INTEGER_DIGITS:
            flagged.append(_LongInteger(digits))
            return flagged[-1]
        return int(digits)

    value = json.loads(text, object_pairs_hook=mapping, parse_int=integer)
    if not flagged:
        return value
    item = flagged[0]  # found by identity, so its path can be named
    where = _path_to(value, item)
    if isinstance(item, _LongInteger):
        raise _Refused(format_path(where), _long_integer_text(item))
    raise _Refused(format_path(where + (item.repeated[0],)),
                   "key given twice in the same mapping; expected each key once")


def _path_to(root, target) -> tuple:
    """The keys and indices leading from ``root`` to the object ``target`` (by identity)."""
    stack = [(root, ())]
    while stack:
        item, where = stack.pop()
        if item is target:
            return where
        if isinstance(item, dict):
            stack.extend((v, where + (k,)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(item))
    return ()


def _long_integer_text(text: str) -> str:
    return (f"an integer of {len(text.lstrip('-+'))} digits; expected at most "
            f"{limits.MAX_INTEGER_DIGITS} digits")


# --- YAML ---------------------------------------------------------------------------------------


class _BoundedComposer(Composer):
    """PyYAML's Python composer with the nesting depth and the number of alias uses bounded
    (used without libyaml; libyaml's own composer stops at 1,000 levels and the node checks below
    bound the rest)."""

    def __init__(self):
        super().__init__()
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > limits.MAX_YAML_ALIASES:
                raise _Refused("", _too_many_aliases())
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > limits.MAX_NESTING:
            mark = self.peek_event().start_mark
            raise _Refused("", f"nested too deep at line {mark.line + 1}; {NESTING_TEXT}")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if _Parser.__module__ == "yaml._yaml":  # libyaml composes in C: several times faster

    class _BoundedLoader(_Parser, SafeConstructor, Resolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _BoundedLoader(_BoundedComposer, _Parser, SafeConstructor, Resolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def _parse_yaml(text: str) -> object:
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_nodes(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _too_many_aliases() -> str:
    return f"more than {limits.MAX_YAML_ALIASES:,} aliases (*name); expected at most {limits.MAX_YAML_ALIASES:,}"


def _children(node):
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return ()


def _check_yaml_nodes(root) -> None:
    """Refuse repeated keys, long integers, deep nesting and what aliases make of the graph (a
    cycle, too many uses, a blown-up size or depth), each distinct node visited once: linear in
    the file, whatever its aliases expand to."""
    seen: set[int] = set()
    aliases = 0
    stack = [(root, (), 1)]
    while stack:
        node, where, depth = stack.pop()
        if id(node) in seen:
            aliases += 1
            continue
        seen.add(id(node))
        if depth > limits.MAX_NESTING:
            raise _Refused(format_path(where), f"nested too deep (line {node.start_mark.line + 1}); {NESTING_TEXT}")
        if isinstance(node, ScalarNode):
            if node.tag == _INT_TAG and len(node.value) > limits.MAX_INTEGER_DIGITS \
                    and sum(ch.isdigit() for ch in node.value) > limits.MAX_INTEGER_DIGITS:
                raise _Refused(format_path(where), _long_integer_text(
                    "".join(ch for ch in node.value if ch.isdigit())))
        elif isinstance(node, SequenceNode):
            stack.extend((kid, where + (i,), depth + 1) for i, kid in enumerate(node.value))
        elif isinstance(node, MappingNode):
            first: dict[tuple, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    if key_node.tag == _MERGE_TAG:
                        stack.append((value_node, where, depth + 1))
                        continue
                    label = (key_node.tag, key_node.value)
                    if label in first:
                        raise _Refused(format_path(where + (key_node.value,)),
                                       f"key given twice in the same mapping (lines {first[label]} and "
                                       f"{key_node.start_mark.line + 1}); expected each key once")
                    first[label] = key_node.start_mark.line + 1
                    stack.append((value_node, where + (key_node.value,), depth + 1))
                else:
                    stack.append((key_node, where, depth + 1))
                    stack.append((value_node, where, depth + 1))
    if aliases > limits.MAX_YAML_ALIASES:
        raise _Refused("", _too_many_aliases())
    if aliases:
        _check_expansion(root, len(seen))


def _check_expansion(root, distinct: int) -> None:
    """The size and depth of the document once its aliases are expanded, from each distinct node's
    own (memoized): an alias bomb of a few hundred bytes is measured in microseconds."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise _Refused("", f"an alias at line {node.start_mark.line + 1} refers to a node that contains "
                               "it; expected a tree")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)
    if size[id(root)] - distinct > limits.MAX_YAML_ALIAS_NODES:
        raise _Refused("", f"aliases expand the document to {size[id(root)]:,} values from {distinct:,}; "
                           f"expected aliases to add at most {limits.MAX_YAML_ALIAS_NODES:,}")
    if height[id(root)] > limits.MAX_NESTING:
        raise _Refused("", f"aliases nest the document {height[id(root)]} levels deep; {NESTING_TEXT}")
