"""One tokenizer for English and Chinese in one model (Rasa 3.6 serves one model per process).

English words are split exactly as Rasa's ``WhitespaceTokenizer`` splits them, so the English
figures do not move; each run of Chinese characters inside them is cut into words by jieba, with
the trial's own terms (``jieba/trial_terms.txt``: 地舒单抗, 骨密度 ...) as a user dictionary so they
stay whole. Rasa's own ``JiebaTokenizer`` cannot be used: it declares ``zh`` only, and it keeps
whitespace and punctuation as tokens. (Nor can ``WhitespaceTokenizer`` alone: its emoji filter drops
every all-Chinese word, see ``remove_emoji``.)
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

import jieba
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.languages.detect import HANZI

USER_DICTIONARY = Path(__file__).with_name("jieba") / "trial_terms.txt"
_HANZI_RUN = re.compile(f"[{HANZI}]+")


@functools.cache
def _jieba() -> jieba.Tokenizer:
    """jieba's dictionary, built once per process (about a second), at start-up rather than on a patient's turn."""
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    segmenter.load_userdict(str(USER_DICTIONARY))
    return segmenter


def split_words(word: str) -> list[str]:
    """A whitespace word cut at its Chinese runs: "我62岁" -> ["我", "62", "岁"]; English stays whole."""
    if not _HANZI_RUN.search(word):
        return [word]
    parts: list[str] = []
    position = 0
    for run in _HANZI_RUN.finditer(word):
        if run.start() > position:
            parts.append(word[position : run.start()])
        parts.extend(w for w in _jieba().lcut(run.group(), HMM=True) if w.strip())
        position = run.end()
    if position < len(word):
        parts.append(word[position:])
    return parts


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BilingualTokenizer(WhitespaceTokenizer):
    @staticmethod
    def not_supported_languages() -> list[str] | None:
        return None

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        _jieba()

    def remove_emoji(self, text: str) -> str:
        """Rasa's emoji pattern spans U+24C2 to U+1F251, every Chinese character included: a word of
        Chinese would vanish as an "emoji". Only words without Chinese are checked."""
        return text if _HANZI_RUN.search(text) else super().remove_emoji(text)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute)
        if not _HANZI_RUN.search(text or ""):
            return tokens
        words = [part for token in tokens for part in split_words(token.text)]
        return self._apply_token_pattern(self._convert_words_to_tokens(words, text))
