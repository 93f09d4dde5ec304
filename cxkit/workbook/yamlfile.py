"""Workbook files: load and validate, save without losing the user's YAML.

>>> from cxkit.workbook.yamlfile import load_workbook          # doctest: +SKIP
>>> doc = WorkbookFile.load("clients/acme/workbook.yml")  # doctest: +SKIP
>>> doc.workbook.client.name = "Acme Ltd"            # doctest: +SKIP
>>> doc.save()   # comments and key order survive; previous file kept as .bak  # doctest: +SKIP

Saving is atomic: the new text is written to a temporary file beside the target,
flushed to disk, and only then renamed over it, so a crash mid-save leaves the
old file whole.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from cxkit import _limits
from cxkit._files import atomic_write
from cxkit.errors import (
    LimitExceeded,
    Problem,
    Reason,
    Words,
    WorkbookError,
    WorkbookLimitExceeded,
)
from cxkit.i18n.messages import word
from cxkit.workbook.model import Loc, Workbook, format_loc
from cxkit.workbook.problems import describe_value, validate_data

WORKBOOK_FILENAME = "workbook.yml"


def _said(file: str, words: Words, reason: Reason, line: int | None = None) -> Problem:
    """A problem whose English message is worded from ``words``."""
    return Problem(file, word(words), reason, line=line, words=words)


def _refused(words: Words, reason: Reason, line: int | None) -> WorkbookLimitExceeded:
    """A problem found while composing; :func:`_parse` fills in the file's name."""
    return WorkbookLimitExceeded([_said("", words, reason, line)])


_CORE = "tag:yaml.org,2002:"


class _GuardedComposer(Composer):
    """ruamel's composer, refusing anchors/aliases, tags and nesting past the limit.

    An alias is how a few lines of YAML expand to gigabytes ("billion laughs"); no
    workbook needs one. The depth check runs before each level is entered, so a
    deeply nested file stops here instead of as a RecursionError.
    """

    _levels = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            anchor = _limits.excerpt(event.anchor, 30)
            raise _refused(Words.of("yaml-alias", anchor=anchor), Reason.YAML_ALIAS, line)
        tag = getattr(event, "tag", None)
        if tag is not None:  # even '!!str': ruamel would keep it as a TaggedScalar, not text
            shown = _limits.excerpt(tag.replace(_CORE, "!!"), 60)
            raise _refused(Words.of("yaml-tag", tag=shown), Reason.YAML_TAG, line)
        self._levels += 1
        try:
            if self._levels > _limits.YAML_MAX_DEPTH:
                words = Words.of("yaml-too-deep", limit=_limits.YAML_MAX_DEPTH)
                raise _refused(words, Reason.TOO_DEEP, line)
            return super().compose_node(parent, index)
        finally:
            self._levels -= 1


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Composer = _GuardedComposer
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 100
    y.allow_unicode = True
    # cxkit never writes anchors or aliases (and never reads them): a value used twice
    # is written out twice.
    y.representer.ignore_aliases = lambda *_: True
    return y


def resolve_workbook_path(path: str | Path) -> Path:
    """Accept a workbook file or a client folder holding ``workbook.yml`` (or only
    ``workbook.xlsx``, the Excel template)."""
    p = Path(path)
    if p.is_dir():
        yml = p / WORKBOOK_FILENAME
        xlsx = yml.with_suffix(".xlsx")
        return xlsx if xlsx.exists() and not yml.exists() else yml  # YAML wins when both
    return p


def is_client_folder(folder: Path) -> bool:
    """A folder holding ``workbook.yml`` or ``workbook.xlsx``."""
    yml = folder / WORKBOOK_FILENAME
    return yml.is_file() or yml.with_suffix(".xlsx").is_file()


def find_workbooks(paths: Sequence[str | Path]) -> list[Path]:
    """The workbooks named by files, client folders, or folders of client folders.

    This is the one rule for finding workbooks (``validate``, ``report``, ``batch``). A
    folder that is neither gives its would-be ``workbook.yml``, so the caller reports it
    as not found rather than silently skipping it. Each workbook appears once.
    """
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not is_client_folder(p):
            inner = sorted(c for c in p.iterdir() if c.is_dir() and is_client_folder(c))
            found.extend(resolve_workbook_path(c) for c in inner)
            if not inner:
                found.append(p / WORKBOOK_FILENAME)
        else:
            found.append(resolve_workbook_path(p))
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- locating


def yaml_line(doc: Any, loc: Loc) -> int | None:
    """1-based line of the deepest node of ``loc`` that exists in the parsed YAML."""
    node = doc
    line: int | None = None
    for part in loc:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, TypeError, AttributeError):
            break
    if line is None and isinstance(doc, CommentedMap):
        return 1
    return line


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers as plain dicts/lists (for validation)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


# --------------------------------------------------------------------------- loading


def _parse(path: Path) -> Any:
    name = str(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(name)
        text = _limits.workbook_bytes(path, WorkbookLimitExceeded).decode("utf-8-sig")
    except FileNotFoundError:
        what = (
            Words("file-not-found")
            if path.parent.is_dir()
            else Words.of("folder-not-found", folder=str(path.parent))
        )
        raise WorkbookError([_said(name, what, Reason.FILE_NOT_FOUND)]) from None
    except IsADirectoryError:
        words = Words.of("folder-without-workbook", name=WORKBOOK_FILENAME)
        raise WorkbookError([_said(name, words, Reason.FILE_NOT_FOUND)]) from None
    except OSError as exc:  # no permission, an I/O error: this workbook, not the whole run
        why = (exc.strerror or str(exc)).lower()
        words = Words.of("cannot-read", why=why)
        raise WorkbookError([_said(name, words, Reason.CANNOT_READ)]) from None
    except UnicodeDecodeError as exc:
        words = Words.of("not-utf8", at=exc.start)
        raise WorkbookError([_said(name, words, Reason.MALFORMED)]) from None
    try:
        doc = _yaml().load(text)
    except WorkbookLimitExceeded as exc:
        raise WorkbookLimitExceeded([replace(p, file=name) for p in exc.problems]) from None
    except RecursionError:  # a safety net: the composer's depth limit comes first
        words = Words("nests-too-deeply")
        raise WorkbookLimitExceeded([_said(name, words, Reason.TOO_DEEP)]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = _limits.excerpt(" ".join(s for s in (exc.context, exc.problem) if s), 160)
        twice = isinstance(exc, DuplicateKeyError)
        words = Words.of("yaml-duplicate-key" if twice else "malformed-yaml", detail=detail)
        raise WorkbookError([_said(name, words, Reason.MALFORMED, line)]) from None
    except YAMLError as exc:
        words = Words.of("malformed-yaml", detail=_limits.excerpt(exc, 160))
        raise WorkbookError([_said(name, words, Reason.MALFORMED)]) from None
    if not isinstance(doc, CommentedMap):
        words = Words.of("top-not-mapping", got=describe_value(doc))
        raise WorkbookError([_said(name, words, Reason.WRONG_TYPE, 1)])
    return doc


def _yaml_locator(doc: Any) -> Any:
    return lambda loc: ("", yaml_line(doc, loc))


@dataclass
class WorkbookFile:
    """A workbook bound to its YAML file, remembering the text's comments and layout."""

    path: Path
    workbook: Workbook
    _doc: Any = field(default=None, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> WorkbookFile:
        p = resolve_workbook_path(path)
        if p.suffix.lower() in {".xlsx", ".xlsm"}:
            from cxkit.workbook.excel import read_excel

            return cls(path=p.with_suffix(".yml"), workbook=read_excel(p))
        doc = _parse(p)
        wb = validate_data(_plain(doc), str(p), _yaml_locator(doc))
        return cls(path=p, workbook=wb, _doc=doc)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def save(self, path: str | Path | None = None, *, backup: bool = True) -> Path:
        """Validate, then write atomically; keep the previous file as ``<name>.bak``."""
        target = Path(path) if path is not None else self.path
        text = self.dumps()
        # Never write what we could not read back: re-validate the exact text.
        check = _yaml().load(text)
        validate_data(_plain(check), str(target), _yaml_locator(check))
        atomic_write(target, text, backup=backup)
        self.path = target
        self._doc = check
        return target

    def dumps(self) -> str:
        full = self.workbook.model_dump(mode="json")
        minimal = self.workbook.model_dump(mode="json", exclude_defaults=True)
        minimal.setdefault("cxkit", full["cxkit"])
        if self._doc is None:
            self._doc = CommentedMap()
        merge_into(self._doc, full, minimal)
        buf = io.StringIO()
        _yaml().dump(self._doc, buf)
        return buf.getvalue()


def load_workbook(path: str | Path) -> Workbook:
    """Load and fully validate a workbook (YAML, Excel template, or a client folder)."""
    return WorkbookFile.load(path).workbook


def save_workbook(wb: Workbook, path: str | Path, *, backup: bool = True) -> Path:
    """Write ``wb`` to ``path``; if the file exists, its comments and layout are kept."""
    p = resolve_workbook_path(path)
    doc = _parse(p) if p.exists() and p.suffix.lower() in {".yml", ".yaml"} else None
    return WorkbookFile(path=p, workbook=wb, _doc=doc).save(backup=backup)


def referenced_files(wb: Workbook, folder: Path) -> Iterator[tuple[Loc, Path]]:
    """Files a workbook points at (logo, survey exports), resolved against its folder."""
    if wb.client.brand.logo:
        yield ("client", "brand", "logo"), folder / wb.client.brand.logo
    for i, s in enumerate(wb.surveys):
        yield ("surveys", i, "file"), folder / s.file


def _named_files(wb: Workbook) -> Iterator[tuple[Loc, str]]:
    if wb.client.brand.logo:
        yield ("client", "brand", "logo"), wb.client.brand.logo
    for i, s in enumerate(wb.surveys):
        yield ("surveys", i, "file"), s.file


def check_files(wb: Workbook, path: Path, doc: Any = None) -> list[Problem]:
    """A problem for each file the workbook names that is not there, leads outside the
    client folder (symlinks followed), is not an ordinary file, or (the logo) is not an
    image by its bytes."""
    out = []
    for loc, name in _named_files(wb):
        try:
            said = _file_problem(loc, name, path.parent)
        except OSError as exc:  # no permission to look: say so, and go on
            shown = _limits.excerpt(name, _limits.PATH_CHARS)
            why = (exc.strerror or str(exc)).lower()
            said = (Words.of("named-cannot-read", name=shown, why=why), Reason.CANNOT_READ, "")
        if said is not None:
            words, reason, message = said
            line = yaml_line(doc, loc) if doc is not None else None
            out.append(
                Problem(
                    str(path),
                    message or word(words),
                    reason,
                    where=format_loc(loc),
                    line=line,
                    loc=loc,
                    words=words,
                )
            )
    return out


def _file_problem(loc: Loc, name: str, folder: Path) -> tuple[Words, Reason, str] | None:
    """What is wrong with the file ``name`` at ``loc`` (None when nothing is): the words,
    the reason, and the English message when it is not worded from the words."""
    shown = _limits.excerpt(name, _limits.PATH_CHARS)
    where = _limits.resolve_inside(folder, name)
    if where.problem:
        return where.words or Words.of("as-said", text=where.problem), where.reason, where.problem
    if where.path.is_dir():
        return Words.of("named-is-folder", name=shown), Reason.NOT_A_FILE, ""
    if not where.path.exists():
        return Words.of("named-not-found", name=shown), Reason.FILE_NOT_FOUND, ""
    try:
        if loc[-1] == "logo":
            _limits.read_logo(folder, name)
        else:
            _limits.regular_file_size(where.path, "survey export")
    except LimitExceeded as exc:
        first = exc.problems[0]
        inner = first.words or Words.of("as-said", text=first.message)
        return Words.of("named", name=shown, detail=inner), first.reason, ""
    return None


def validate_path(path: str | Path) -> tuple[Workbook | None, list[Problem]]:
    """Every problem with one workbook file, including missing referenced files."""
    p = resolve_workbook_path(path)
    try:
        wf = WorkbookFile.load(p)
    except WorkbookError as exc:
        return None, exc.problems
    source = p if p.suffix.lower() in {".xlsx", ".xlsm"} else wf.path
    return wf.workbook, check_files(wf.workbook, source, wf._doc)


# --------------------------------------------------------------------------- round-trip merge


def merge_into(node: Any, full: Any, minimal: Any) -> Any:
    """Update the parsed YAML ``node`` in place to hold ``full``; return the node to keep.

    Keys already in the file are updated where they changed (so their comments,
    order and quoting survive); new keys are added only when they differ from the
    default (``minimal``), so a save does not flood a hand-written file with
    ``null``s; keys whose new value is empty and default are removed.
    """
    if isinstance(full, dict):
        if not isinstance(node, CommentedMap):
            node = CommentedMap()
        mini = minimal if isinstance(minimal, dict) else {}
        for key in list(node):
            if key not in full:
                del node[key]
            elif key not in mini and _blank(full[key]) and not _blank(node[key]):
                # Back to its default: a placeholder the user wrote (`goals: []`) stays as
                # written; a value the user has just cleared disappears from the file.
                del node[key]
        for pos, (key, value) in enumerate(full.items()):
            if key in node:
                if key not in mini and _blank(value):
                    continue
                node[key] = merge_into(node[key], value, mini.get(key))
            elif key in mini:
                node.insert(min(pos, len(node)), key, merge_into(None, value, mini[key]))
        return node
    if isinstance(full, list):
        mini_list = minimal if isinstance(minimal, list) and len(minimal) == len(full) else full
        if not isinstance(node, CommentedSeq):
            node = CommentedSeq()
        old_ids = [_item_id(x) for x in node]
        new_ids = [_item_id(x) for x in full]
        if all(old_ids) and all(new_ids) and old_ids != new_ids and node:
            by_id = dict(zip(old_ids, node, strict=True))
            items = [
                merge_into(by_id.get(i), v, m)
                for i, v, m in zip(new_ids, full, mini_list, strict=True)
            ]
            node.clear()
            node.extend(items)
            return node
        for i, (value, mini_item) in enumerate(zip(full, mini_list, strict=True)):
            if i < len(node):
                node[i] = merge_into(node[i], value, mini_item)
            else:
                node.append(merge_into(None, value, mini_item))
        del node[len(full) :]
        return node
    if node is not None and not isinstance(node, dict | list) and _same(node, full):
        return node  # keep the original scalar object (and its quoting style)
    return full


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return bool(old == new)


def _item_id(item: Any) -> str | None:
    if isinstance(item, dict):
        value = item.get("id")
        return str(value) if value is not None else None
    return None


def json_schema() -> dict[str, Any]:
    """The workbook JSON Schema (draft 2020-12), for editors and other tools."""
    schema = Workbook.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
