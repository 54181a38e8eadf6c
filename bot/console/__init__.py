"""The coordinators' console: review handed-off leads per site, change their status, with an audit trail.

``pages`` (HTML under /console) and ``api`` (JSON under /api) are sanic blueprints mounted on the web app
(bot/web/app.py). Every lead query goes through ``queries``, which scopes it to the acting user's site.

Languages are data (``translations/<code>.json``: zh and en): each user's choice is stored on the user
(``console_users.language``), else ``CONSOLE_LANGUAGE`` (Chinese by default) applies; ``labels`` turns stored
codes (answer fields, criteria, audit actions) into words of that language.
"""
