"""domain.yml, questions.yml and the actions agree: every question can be asked and validated, every response exists."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action

import actions
from actions.answer_form import AnswerForm
from actions.handoff import HANDOFF_SLOTS, ValidateHandoffForm
from actions.screening_form import REASK, ValidateScreeningForm
from bot.eligibility.fields import ANSWER_FIELDS
from bot.screening.questions import gate_names, load_questions

ACTIONS_DIR = Path(actions.__file__).parent
QUESTIONS = [q.name for q in load_questions()]


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_question_has_a_validator_and_a_question_text(name: str, domain: dict[str, Any]) -> None:
    assert callable(getattr(ValidateScreeningForm, f"validate_{name}", None)), f"validate_{name} missing"
    assert f"ask_{name}" in domain["responses"]


@pytest.mark.parametrize("name", [*ANSWER_FIELDS, *gate_names()])
def test_every_answer_field_and_gate_is_a_slot(name: str, domain: dict[str, Any]) -> None:
    """The slot names are the eligibility engine's field names (a contract)."""
    assert name in domain["slots"]


def test_questions_are_the_answer_fields_and_gates() -> None:
    assert sorted(QUESTIONS) == sorted([*ANSWER_FIELDS, *gate_names()])


@pytest.mark.parametrize("name", HANDOFF_SLOTS)
def test_every_handoff_slot_has_a_validator_and_a_question_text(name: str, domain: dict[str, Any]) -> None:
    assert callable(getattr(ValidateHandoffForm, f"validate_{name}", None))
    assert f"ask_{name}" in domain["responses"]
    assert name in domain["forms"]["handoff_form"]["required_slots"]


def _constants(node: ast.AST) -> list[str]:
    """String constants an expression can evaluate to (a literal, or either branch of ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _fstring_pattern(node: ast.JoinedStr) -> tuple[str, ...]:
    return tuple(part.value if isinstance(part, ast.Constant) else None for part in node.values)


def used_responses() -> tuple[set[str], set[tuple[str | None, ...]]]:
    """Response names used in actions/*.py: literals, f-strings, names assigned to ``response``/``*_response``."""
    literals: set[str] = set()
    fstrings: set[tuple[str | None, ...]] = set()
    for path in sorted(ACTIONS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "response":
                literals.update(_constants(node.value))
                if isinstance(node.value, ast.JoinedStr):
                    fstrings.add(_fstring_pattern(node.value))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if node.value is not None and any(n == "response" or n.endswith("_response") for n in names):
                    literals.update(_constants(node.value))
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "misread" and len(node.args) >= 2:
                literals.update(_constants(node.args[1]))  # misread(slot, reask_response, ...)
    return literals, fstrings


def test_response_scan_finds_the_known_uses() -> None:
    literals, fstrings = used_responses()
    assert {"dont_know_noted", "moving_on", "outcome_ineligible_until", "handoff_updated", "reask_implausible",
            "screening_intro", "handoff_intro"} <= literals
    assert ("ask_", None) in fstrings


def test_every_literal_response_exists(domain: dict[str, Any]) -> None:
    literals, _ = used_responses()
    literals |= set(REASK.values())
    assert sorted(literals - set(domain["responses"])) == []


def test_every_f_string_response_exists(domain: dict[str, Any]) -> None:
    _, fstrings = used_responses()
    askable = [*QUESTIONS, *HANDOFF_SLOTS]
    expansions = {
        ("ask_", None): [f"ask_{slot}" for slot in askable],
    }
    assert set(fstrings) <= set(expansions), f"unexpected f-string responses: {set(fstrings) - set(expansions)}"
    for pattern in fstrings:
        for name in expansions[pattern]:
            assert name in domain["responses"], name


def test_each_form_asks_its_own_consent_first(domain: dict[str, Any]) -> None:
    """The screening asks consent for health answers; the hand-off for contact details."""
    forms = domain["forms"]
    assert forms["screening_form"]["required_slots"][0] == ValidateScreeningForm.consent_slot == "data_consent"
    assert forms["handoff_form"]["required_slots"][0] == ValidateHandoffForm.consent_slot == "contact_consent"
    notices = ((ValidateScreeningForm, "ask_data_consent_screening"), (ValidateHandoffForm, "ask_contact_consent"))
    for form, notice in notices:
        assert notice in domain["responses"]
        assert form.consent_given_response in domain["responses"]


def _action_classes() -> list[type[Action]]:
    import actions.answer_form
    import actions.dialogue
    import actions.handoff
    import actions.outcome
    import actions.privacy
    import actions.screening_form

    found = []
    for module in (actions.answer_form, actions.dialogue, actions.handoff, actions.outcome, actions.privacy,
                   actions.screening_form):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                found.append(cls)
    return found


def test_every_custom_action_is_in_the_domain(domain: dict[str, Any]) -> None:
    classes = _action_classes()
    assert len(classes) >= 13
    names = {cls().name() for cls in classes}
    assert names <= set(domain["actions"]), names - set(domain["actions"])
    assert not [cls for cls in classes if issubclass(cls, AnswerForm) and not cls().name().startswith("validate_")]
