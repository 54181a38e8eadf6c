"""Pre-screening assistant for the PUMCH denosumab vs alendronate trial: the pure core.

Sub-packages hold one concept each: ``eligibility`` (rules, answers, explanations),
``store`` (screenings, leads, audit log), ``sites`` (study-site configuration).
Nothing here imports Rasa.
"""
