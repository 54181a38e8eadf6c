"""The guided self-screening, without Rasa: which question comes next, and how answers are read.

``questions.yml`` fixes the order; ``planner`` asks only questions whose answer could still
change the result; ``parsing`` turns free text into the eligibility engine's values, with
the words of each language in ``lexicon/<language>.yml``. Answers written in Chinese (Han characters)
are read by ``chinese/``, with the same rules; Latin text in a Chinese conversation by the English readers.
"""
