"""`rasa data validate --fail-on-warnings`, with one difference: a response counts as used when a
custom action utters it, not only when a story or rule does.

Rasa 3.6's validator warns about every response that no story or rule names, including the ones our
actions choose (each question, each outcome): with plain ``--fail-on-warnings`` no assistant whose
actions pick responses can pass. Here those responses must be named by an action instead, so a
response nobody uses, or an action naming a response that does not exist, still fails the check.

The one Rasa warning tolerated is the notice that the retrieval intent ``faq`` appears in both the
domain and the training data: Rasa 3.6 prints it for every retrieval intent listed in a domain,
and listing it there is required.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TOLERATED = ("The following duplicated intents have been found across multiple domain files: faq",)
UNUSED = "is not used in any story or rule."


def responses_named_by_actions(domain: dict) -> set[str]:
    """Response names that actions/*.py utter: string literals, and f-strings like f"ask_{slot}"."""
    responses = set(domain.get("responses") or {})
    slots = set(domain.get("slots") or {})
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in responses:
                used.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
    for name in responses:
        for prefix in prefixes:
            suffix = name[len(prefix) :]
            if name.startswith(prefix) and (suffix in slots or suffix in ("screening", "handoff")):
                used.add(name)
    return used


def main() -> int:
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.utils.common import EXPECTED_WARNINGS  # the ones Rasa itself hides as noise
    from rasa.validator import Validator

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    used_by_actions = responses_named_by_actions(domain)
    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importer = TrainingDataImporter.load_from_config(
            str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
        )
        validator = Validator.from_importer(importer)
        results = {
            "domain": validator.verify_domain_validity(),
            "actions in stories": validator.verify_actions_in_stories_rules(),
            "forms in stories": validator.verify_forms_in_stories_rules(),
            "form slots": validator.verify_form_slots(),
            "slot mappings": validator.verify_slot_mappings(),
            "intents": validator.verify_intents_in_stories(False),
            "examples": validator.verify_example_repetition_in_intents(False),
            "responses": validator.verify_utterances_in_stories(True),
            "story structure": validator.verify_story_structure(False),
        }
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        text = str(warning.message).strip()
        if text.startswith(TOLERATED) or any(
            issubclass(warning.category, category) and re.match(pattern, text)
            for category, pattern in EXPECTED_WARNINGS
        ):
            continue
        if text.endswith(UNUSED) and text.split("'")[1] in used_by_actions:
            continue
        problems.append(text)
    problems += [f"check failed: {name}" for name, ok in results.items() if not ok]
    for problem in problems:
        print(f"validate: {problem}", file=sys.stderr)
    print(
        f"validate: {len(results)} checks, {len(used_by_actions)} responses uttered by actions, "
        f"{len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
