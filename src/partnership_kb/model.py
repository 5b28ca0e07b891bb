"""The graph model, read from schema/model.yaml: labels, sheets, columns, relationships.

A malformed model fails at startup naming the file and the key, so a typo in the YAML never
surfaces later as a confusing load error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import config
from .errors import ConfigError

TYPES = {"string", "text", "int", "float", "date", "list", "enum", "ref"}
# Labels of records about the knowledge base itself, not facts from a source: they carry no
# citations. DataVersion: renewed by every load (the API's ETags); Load and Change: each load
# and what it added, ended and changed (loader/history.py); ApiKey: the district keys the
# upload API accepts, as salted hashes (keys.py).
RECORD_LABELS = ["DataVersion", "Load", "Change", "ApiKey"]


@cache
def camel(snake: str) -> str:
    """Column name to property name: meeting_frequency -> meetingFrequency."""
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


@dataclass(frozen=True)
class Column:
    """One column of a sheet, and the property or relationship it becomes."""

    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum
    enum: str | None = None  # the name of that enum in model.yaml
    default: Any = None
    doc: str = ""
    to: tuple[str, ...] = ()  # labels a ref may point at
    rel: str | None = None  # relationship a ref column creates (None: stored as the target's id)
    direction: str = "out"
    many: bool = False
    minimum: float | None = None  # a number's smallest allowed value (`min` in model.yaml)
    maximum: float | None = None  # and its largest (`max`)

    @property
    def prop(self) -> str:
        return camel(self.name)


@dataclass(frozen=True)
class NodeSpec:
    label: str
    sheet: str
    doc: str
    columns: dict[str, Column]
    name_from: str | None = None  # e.g. "Outcome {code}: {title}"

    @property
    def properties(self) -> list[Column]:
        return [c for c in self.columns.values() if c.type != "ref"]

    @property
    def references(self) -> list[Column]:
        return [c for c in self.columns.values() if c.type == "ref"]


@dataclass(frozen=True)
class RelSpec:
    type: str
    sheet: str
    doc: str
    start: Column
    end: Column
    key: tuple[str, ...]
    columns: dict[str, Column]

    @property
    def all_columns(self) -> dict[str, Column]:
        return {self.start.name: self.start, self.end.name: self.end, **self.columns}


@dataclass(frozen=True)
class Model:
    path: Path
    enums: dict[str, tuple[str, ...]]
    nodes: dict[str, NodeSpec]
    relationships: dict[str, RelSpec]
    fulltext_name: str
    fulltext_labels: tuple[str, ...]
    fulltext_properties: tuple[str, ...]
    indexes: tuple[tuple[str, str], ...]

    def list_properties(self) -> list[str]:
        """Node properties holding lists (aliases...): unioned across datasets."""
        return sorted({c.prop for n in self.nodes.values() for c in n.properties
                       if c.type == "list"})

    def sheets(self) -> dict[str, NodeSpec | RelSpec]:
        """Every sheet name, in load order: nodes first (as listed), then relationships."""
        found: dict[str, NodeSpec | RelSpec] = {n.sheet: n for n in self.nodes.values()}
        found.update({r.sheet: r for r in self.relationships.values()})
        return found


class _Reader:
    """Builds a Model from parsed YAML, naming the file and key of anything wrong."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path = path
        self.raw = raw
        self.enums = {k: tuple(v) for k, v in (raw.get("enums") or {}).items()}

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}, {key}: {message}",
                           "Fix schema/model.yaml; its header explains each field.")

    def column(self, key: str, name: str, spec: dict[str, Any]) -> Column:
        kind = spec.get("type")
        if kind not in TYPES:
            raise self.fail(key, f"type {kind!r} is not one of {sorted(TYPES)}")
        values: tuple[str, ...] = ()
        if kind == "enum":
            if spec.get("values") not in self.enums:
                raise self.fail(key, f"values {spec.get('values')!r} names no enum")
            values = self.enums[spec["values"]]
        to = tuple(spec.get("to") or ())
        if kind == "ref" and not to:
            raise self.fail(key, "a ref column needs `to: [Label, ...]`")
        return Column(name, kind, bool(spec.get("required")), values,
                      spec.get("values") if kind == "enum" else None, spec.get("default"),
                      str(spec.get("doc", "")), to, spec.get("rel"),
                      spec.get("direction", "out"), bool(spec.get("many")),
                      spec.get("min"), spec.get("max"))

    def columns(self, key: str, spec: dict[str, Any]) -> dict[str, Column]:
        """A sheet's own columns, then the common ones (but `sources`, which the loader reads
        itself)."""
        common = {name: c for name, c in (self.raw.get("common") or {}).items()
                  if name != "sources"}
        own = spec.get("columns") or {}
        return {name: self.column(f"{key}.columns.{name}", name, c)
                for name, c in {**own, **{n: c for n, c in common.items() if n not in own}}.items()}

    def node(self, label: str, spec: dict[str, Any]) -> NodeSpec:
        key = f"nodes.{label}"
        cols = self.columns(key, spec)
        if "id" not in cols or not spec.get("sheet"):
            raise self.fail(key, "needs a `sheet` and an `id` column")
        return NodeSpec(label, spec["sheet"], spec.get("doc", ""), cols, spec.get("name_from"))

    def relationship(self, rel: str, spec: dict[str, Any]) -> RelSpec:
        key = f"relationships.{rel}"
        ends = []
        for end in ("from", "to"):
            end_spec = spec.get(end) or {}
            if "column" not in end_spec or "to" not in end_spec:
                raise self.fail(f"{key}.{end}", "needs `column` and `to`")
            ends.append(self.column(f"{key}.{end}", end_spec["column"],
                                    {"type": "ref", "to": end_spec["to"], "required": True}))
        cols = self.columns(key, spec)
        return RelSpec(rel, spec["sheet"], spec.get("doc", ""), ends[0], ends[1],
                       tuple(spec.get("key") or ()), cols)

    def build(self) -> Model:
        raw_nodes = self.raw.get("nodes") or {}
        raw_rels = self.raw.get("relationships") or {}
        nodes = {label: self.node(label, spec) for label, spec in raw_nodes.items()}
        rels = {rel: self.relationship(rel, spec) for rel, spec in raw_rels.items()}
        for owner, cols in [*((n.label, n.columns) for n in nodes.values()),
                            *((r.type, r.all_columns) for r in rels.values())]:
            for col in cols.values():
                unknown = [t for t in col.to if t not in nodes]
                if unknown:
                    raise self.fail(f"{owner}.{col.name}", f"refers to unknown labels {unknown}")
        fulltext = self.raw.get("fulltext") or {}
        return Model(
            self.path, self.enums, nodes, rels, fulltext.get("name", "nodeNames"),
            tuple(fulltext.get("labels") or ()), tuple(fulltext.get("properties") or ()),
            tuple((i["label"], i["property"]) for i in self.raw.get("indexes") or ()),
        )


def load(path: Path | None = None) -> Model:
    """Read and check a model file (default: the project's schema/model.yaml)."""
    path = path or config.project_home() / "schema" / "model.yaml"
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the model: {err}",
                          "Restore schema/model.yaml from git.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the model is not a YAML mapping.", "Restore it from git.")
    return _Reader(path, raw).build()


@cache
def default() -> Model:
    """The project's model, read once per process."""
    return load()
