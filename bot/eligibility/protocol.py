"""Load a versioned rule set (``protocols/<version>/criteria.yml``) and its explanations.

Rules are data because the listing changes; the engine only interprets them. Loading checks
every rule against the field contract, so a typo in a protocol file fails at start-up, not
during a screening.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.eligibility.fields import FIELDS, Kind

PROTOCOLS_DIR = Path(__file__).with_name("protocols")
DEFAULT_LANGUAGE = "en"
RESULTS = ("pass", "fail", "unknown")
COMPARISONS = ("lt", "le", "gt", "ge")


class ProtocolError(ValueError):
    """A protocol data file does not follow the rule language."""


@dataclass(frozen=True)
class Criterion:
    id: str
    inclusion: bool
    rule: Mapping[str, Any]
    washout: bool


@dataclass(frozen=True)
class Protocol:
    version: str
    criteria: tuple[Criterion, ...]
    directory: Path

    @functools.cached_property
    def fields(self) -> frozenset[str]:
        return frozenset(f for c in self.criteria for f in rule_fields(c.rule))

    def explanations(self, language: str = DEFAULT_LANGUAGE) -> Mapping[str, Mapping[str, str]]:
        return _load_explanations(self.directory, language, tuple(c.id for c in self.criteria))


def rule_fields(rule: Mapping[str, Any]) -> list[str]:
    if "any" in rule or "all" in rule:
        return [f for part in rule.get("any", rule.get("all")) for f in rule_fields(part)]
    if "not" in rule:
        return rule_fields(rule["not"])
    return [rule["field"]]


def _check_rule(rule: Any, where: str) -> None:
    if not isinstance(rule, dict):
        raise ProtocolError(f"{where}: a rule must be a mapping, got {rule!r}")
    for combinator in ("any", "all"):
        if combinator in rule:
            parts = rule[combinator]
            if len(rule) != 1 or not isinstance(parts, list) or not parts:
                raise ProtocolError(f"{where}: '{combinator}' takes a non-empty list and nothing else")
            for part in parts:
                _check_rule(part, where)
            return
    if "not" in rule:
        if len(rule) != 1:
            raise ProtocolError(f"{where}: 'not' stands alone")
        _check_rule(rule["not"], where)
        return
    name = rule.get("field")
    field = FIELDS.get(name)  # type: ignore[arg-type]
    if field is None or name == "as_of":
        raise ProtocolError(f"{where}: unknown field {name!r}")
    (op, operand), *rest = [(k, v) for k, v in rule.items() if k != "field"] or [(None, None)]
    if rest or op is None:
        raise ProtocolError(f"{where}: a test on {name} needs exactly one operator")
    expected = {
        "is": (Kind.BOOL,),
        "eq": (Kind.SEX,),
        "within_months": (Kind.DOSE_DATE,),
        **{c: (Kind.NUMBER,) for c in COMPARISONS},
    }.get(op)
    if expected is None or field.kind not in expected:
        raise ProtocolError(f"{where}: operator {op!r} does not apply to {name} ({field.kind.value})")
    if op == "within_months" and not (isinstance(operand, int) and operand > 0):
        raise ProtocolError(f"{where}: within_months needs a positive whole number")


def _parse(directory: Path) -> Protocol:
    data = yaml.safe_load((directory / "criteria.yml").read_text(encoding="utf-8"))
    criteria = []
    for item in data["criteria"]:
        cid = item["id"]
        key = "passes_if" if cid.startswith("I") else "fails_if"
        if key not in item:
            raise ProtocolError(f"{cid}: expected '{key}'")
        _check_rule(item[key], cid)
        criteria.append(Criterion(cid, cid.startswith("I"), item[key], bool(item.get("washout", False))))
    version = str(data["version"])
    if version != directory.name:
        raise ProtocolError(f"{directory}: version {version!r} does not match its folder name")
    return Protocol(version=version, criteria=tuple(criteria), directory=directory)


def available_versions() -> list[str]:
    return sorted(p.name for p in PROTOCOLS_DIR.iterdir() if (p / "criteria.yml").is_file())


@functools.cache
def load_protocol(version: str | None = None) -> Protocol:
    """The named protocol, else ``$PROTOCOL_VERSION``, else the newest one shipped."""
    version = version or os.environ.get("PROTOCOL_VERSION") or available_versions()[-1]
    directory = PROTOCOLS_DIR / version
    if not (directory / "criteria.yml").is_file():
        raise ProtocolError(f"unknown protocol version {version!r}; have {', '.join(available_versions())}")
    return _parse(directory)


@functools.cache
def _load_explanations(directory: Path, language: str, ids: tuple[str, ...]) -> Mapping[str, Mapping[str, str]]:
    path = directory / "explanations" / f"{language}.yml"
    if not path.is_file():
        path = directory / "explanations" / f"{DEFAULT_LANGUAGE}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for cid in ids:
        missing = [r for r in ("title", *RESULTS) if not data.get(cid, {}).get(r)]
        if missing:
            raise ProtocolError(f"{path}: {cid} lacks {', '.join(missing)}")
    return data
