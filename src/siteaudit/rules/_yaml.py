"""YAML loading that remembers the line of every key, value and list item.

PyYAML's ``safe_load`` forgets where things came from, and silently keeps the
last of two duplicate keys.  This loader builds :class:`LineDict` and
:class:`LineList` values that carry 1-based line numbers, so the validator can
say ``rules/site.yml:14: ...``; duplicate keys are an error.

LibYAML's parser (PyYAML's C extension, when installed) reads a file about five
times faster than the pure-Python one and gives the same nodes and lines; the
pure-Python loader stays the reference: any file the fast path cannot read is
read again by it, so every error is reported exactly as it words it.
"""

from __future__ import annotations

import yaml

from ..errors import RuleFileError


class LineDict(dict):
    """A mapping with ``line`` (of the mapping) and ``key_lines``/``value_lines``."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}
        self.value_lines: dict = {}

    def key_line(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key) -> int:
        return self.value_lines.get(key, self.key_line(key))


class LineList(list):
    """A sequence with ``line`` and ``item_lines`` (one per item)."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def item_line(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(yaml.SafeLoader):
    path = "<string>"

    def compose_node(self, parent, index):
        # Aliases (*name) can build self-referencing or exponentially large values; rule files need neither.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise RuleFileError(self.path, event.start_mark.line + 1,
                                "YAML aliases (*name) are not supported in rule files; repeat the value")
        return super().compose_node(parent, index)


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise RuleFileError(loader.path, line, "a key must be a plain word, not a list or mapping") from None
        if key in out:
            raise RuleFileError(loader.path, line, f"duplicate key {key!r} (first at line {out.key_lines[key]})")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
        out.value_lines[key] = value_node.start_mark.line + 1
    return out


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _sequence)


_FastBase = getattr(yaml, "CSafeLoader", None)  # None: PyYAML without LibYAML


if _FastBase is not None:
    class _FastLineLoader(_FastBase):  # type: ignore[valid-type,misc]
        path = "<string>"

    _FastLineLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
    _FastLineLoader.add_constructor("tag:yaml.org,2002:seq", _sequence)


class _Unsure(Exception):
    """The fast path declines a file (an alias, or any error): the reference loader reads it."""


def _load_fast(text: str, path: str):
    # LibYAML resolves aliases silently (its composer runs in C): look for them first, at
    # C speed, and leave a file that has one to the reference loader, which rejects it.
    if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_FastBase)):
        raise _Unsure
    loader = _FastLineLoader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_yaml(text: str, path: str):
    """Parse ``text`` (the content of ``path``) into Line* values.

    Raises :class:`RuleFileError` with the line of a YAML syntax error.
    An empty document gives ``None``.
    """
    if _FastBase is not None:
        try:
            return _load_fast(text, path)
        except Exception:  # noqa: BLE001 - read again below, where errors get their messages
            pass
    return _load_reference(text, path)


def _load_reference(text: str, path: str):
    """:func:`load_yaml` with PyYAML's pure-Python loader (every error worded with its line)."""
    loader = None
    try:
        loader = _LineLoader(text)
        loader.path = path
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "cannot parse"
        raise RuleFileError(path, line, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a control character: say where it is
        line = text[: exc.position].count("\n") + 1
        raise RuleFileError(path, line, f"YAML syntax error: character #x{exc.character:04x} is not allowed") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(path, None, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise RuleFileError(path, None, "YAML syntax error: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
