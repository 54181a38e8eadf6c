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
COMPARISONS = ("lt", "le", "gt", "ge")
WINDOWS = ("within_months", "within_weeks")
#: Keys of a test besides its one operator.
TEST_OPTIONS = ("field", "if_unknown")


class ProtocolError(ValueError):
    """A protocol data file does not follow the rule language."""


@dataclass(frozen=True)
class Criterion:
    id: str
    inclusion: bool
    rule: Mapping[str, Any]
    washout: bool
    #: Answers whose "yes" only lasts a while (an infection, an unhealed wound): a failure resting
    #: on them alone is temporary.
    temporary: frozenset[str] = frozenset()

    @functools.cached_property
    def text_keys(self) -> tuple[str, ...]:
        """The explanation texts this criterion can need: one per way it can turn out."""
        keys = ["title", "pass", "unknown"]
        if set(rule_fields(self.rule)) - self.temporary:
            keys.append("fail")
        if self.temporary:
            keys.append("temporary")
        if self.washout and not all(_is_plain_window(t) for t in rule_tests(self.rule)):
            keys.append("fail_no_date")  # it can fail without a clearing date
        return tuple(keys)


@dataclass(frozen=True)
class Protocol:
    version: str
    criteria: tuple[Criterion, ...]
    directory: Path

    @functools.cached_property
    def fields(self) -> frozenset[str]:
        return frozenset(f for c in self.criteria for f in rule_fields(c.rule))

    def explanations(self, language: str = DEFAULT_LANGUAGE) -> Mapping[str, Mapping[str, str]]:
        return _load_explanations(self.directory, language, tuple((c.id, c.text_keys) for c in self.criteria))


def rule_tests(rule: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The tests on single fields (``{field: ...}``) inside a rule, in order."""
    if "any" in rule or "all" in rule:
        return [t for part in rule.get("any", rule.get("all")) for t in rule_tests(part)]
    if "not" in rule:
        return rule_tests(rule["not"])
    return [rule]


def rule_fields(rule: Mapping[str, Any]) -> list[str]:
    return [t["field"] for t in rule_tests(rule)]


def operator(test: Mapping[str, Any]) -> tuple[str, Any]:
    """A test's one operator and its operand, e.g. ``("within_months", 12)``."""
    ((op, operand),) = ((k, v) for k, v in test.items() if k not in TEST_OPTIONS)
    return op, operand


def _is_plain_window(test: Mapping[str, Any]) -> bool:
    return operator(test)[0] in WINDOWS and "if_unknown" not in test


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
    (op, operand), *rest = [(k, v) for k, v in rule.items() if k not in TEST_OPTIONS] or [(None, None)]
    if rest or op is None:
        raise ProtocolError(f"{where}: a test on {name} needs exactly one operator")
    expected = {
        "is": (Kind.BOOL,),
        "eq": (Kind.SEX,),
        **{w: (Kind.DOSE_DATE,) for w in WINDOWS},
        **{c: (Kind.NUMBER,) for c in COMPARISONS},
    }.get(op)
    if expected is None or field.kind not in expected:
        raise ProtocolError(f"{where}: operator {op!r} does not apply to {name} ({field.kind.value})")
    if op in WINDOWS and not (isinstance(operand, int) and not isinstance(operand, bool) and operand > 0):
        raise ProtocolError(f"{where}: {op} needs a positive whole number")
    if "if_unknown" in rule and not isinstance(rule["if_unknown"], bool):
        raise ProtocolError(f"{where}: if_unknown on {name} takes true or false")


def _temporary(item: Mapping[str, Any], rule: Mapping[str, Any]) -> frozenset[str]:
    cid, marked = item["id"], item.get("temporary", False)
    fields = rule_fields(rule)
    if marked is False:
        return frozenset()
    if marked is True:
        marked = fields
    if not isinstance(marked, list) or not marked or not set(marked) <= set(fields):
        raise ProtocolError(f"{cid}: 'temporary' takes true or a list of the criterion's own boolean fields")
    if any(FIELDS[name].kind is not Kind.BOOL for name in marked):
        raise ProtocolError(f"{cid}: only yes/no answers can be temporary")
    return frozenset(marked)


def _parse(directory: Path) -> Protocol:
    data = yaml.safe_load((directory / "criteria.yml").read_text(encoding="utf-8"))
    criteria = []
    for item in data["criteria"]:
        cid = item["id"]
        key = "passes_if" if cid.startswith("I") else "fails_if"
        if key not in item:
            raise ProtocolError(f"{cid}: expected '{key}'")
        _check_rule(item[key], cid)
        washout, temporary = bool(item.get("washout", False)), _temporary(item, item[key])
        if temporary and (washout or cid.startswith("I")):
            raise ProtocolError(f"{cid}: only an exclusion without a waiting period can be temporary")
        criteria.append(Criterion(cid, cid.startswith("I"), item[key], washout, temporary))
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
def _load_explanations(
    directory: Path, language: str, needed: tuple[tuple[str, tuple[str, ...]], ...]
) -> Mapping[str, Mapping[str, str]]:
    path = directory / "explanations" / f"{language}.yml"
    if not path.is_file():
        path = directory / "explanations" / f"{DEFAULT_LANGUAGE}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for cid, keys in needed:
        missing = [r for r in keys if not data.get(cid, {}).get(r)]
        if missing:
            raise ProtocolError(f"{path}: {cid} lacks {', '.join(missing)}")
    return data
