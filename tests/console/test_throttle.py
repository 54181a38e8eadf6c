"""The login throttle's policy on both backends: delays grow, keys lock, success clears the username."""

from __future__ import annotations

from bot.console import throttle
from bot.console.settings import ConsoleSettings
from bot.store.db import Database

SETTINGS = ConsoleSettings(lock_after=3, ip_lock_after=5, login_delay=0.5, login_delay_cap=2.0)


def test_delay_grows_then_caps() -> None:
    assert [throttle.delay_for(n, SETTINGS) for n in range(1, 7)] == [0.0, 0.5, 1.0, 2.0, 2.0, 2.0]


def test_username_locks_and_success_clears_it(database: Database) -> None:
    verdicts = []
    for _ in range(3):
        with database.transaction() as session:
            verdicts.append(throttle.record_failure(session, "amy", "10.0.0.1", SETTINGS))
    assert [v.locked for v in verdicts] == [False, False, True]
    assert verdicts[-1].delay > verdicts[0].delay
    with database.transaction() as session:
        assert throttle.is_locked(session, "amy", "10.0.0.9")  # locked whatever address tries
        assert not throttle.is_locked(session, "bob", "10.0.0.9")
        throttle.record_success(session, "amy")
        assert not throttle.is_locked(session, "amy", "10.0.0.9")


def test_one_address_guessing_many_usernames_is_locked(database: Database) -> None:
    for n in range(5):
        with database.transaction() as session:
            throttle.record_failure(session, f"user{n}", "10.9.9.9", SETTINGS)
    with database.transaction() as session:
        assert throttle.is_locked(session, "someone-else", "10.9.9.9")
        assert not throttle.is_locked(session, "someone-else", "10.9.9.8")


def test_settings_come_from_the_environment() -> None:
    settings = ConsoleSettings.from_env({"CONSOLE_LOCK_AFTER": "7", "CONSOLE_IDLE_SECONDS": "60"})
    assert (settings.lock_after, settings.idle_seconds) == (7, 60)
