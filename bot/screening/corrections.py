"""Which earlier answer a correction ("actually I'm 63", "wait, I did take alendronate") is about."""

from __future__ import annotations

from dataclasses import dataclass

from bot.screening.words import contains_any, fold_width, lexicon, normalise, reading_language, without


@dataclass(frozen=True)
class Correction:
    #: The question (field or gate) the person corrects, or None when the words do not say.
    target: str | None
    #: The correction with its opening words ("actually", "no wait") removed, ready to parse.
    answer_text: str


def read_correction(text: str, language: str = "en") -> Correction:
    """The words of the text's script decide ("actually I'm 63" in a Chinese conversation is read in English)."""
    text = fold_width(text)
    lex = lexicon(reading_language(text, language))
    clean = without(normalise(text), lex.phrases("correction_openers"))
    for name, words in lex.data["corrections"]:
        if contains_any(clean, words):
            return Correction(name, clean)
    return Correction(None, clean)


def opens_a_correction(text: str, language: str = "en") -> bool:
    """Words that say an earlier answer is being changed ("actually", "I said ... but", "刚才说错了").
    Without them, a message the classifier calls a correction ("my husband had a stroke, not me")
    may simply answer the open question."""
    text = fold_width(text)
    lex = lexicon(reading_language(text, language))
    return lex.has(normalise(text), "correction_openers")
