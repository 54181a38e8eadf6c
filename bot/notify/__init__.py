"""Delivery of the new-lead outbox (bot/store/outbox.py) to each site: a signed webhook and/or an e-mail.

``python -m bot.notify`` runs the worker (started by scripts/run). Nothing here carries health or
contact data: a notification says "a new lead for site X" with its id and a link to the console.
"""
