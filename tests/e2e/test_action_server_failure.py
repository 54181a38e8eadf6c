"""The action server dies mid-form: the person gets an apology, then the form resumes with every answer kept."""

from __future__ import annotations

from tests.e2e.servers import Servers


def test_action_server_killed_mid_form_then_restarted(servers: Servers) -> None:
    sender = "e2e-outage"
    servers.say(sender, "/start_screening")
    servers.say(sender, "yes")
    servers.say(sender, "yes")  # type 2 diabetes
    servers.say(sender, "woman")
    before = servers.slots(sender)
    assert before["requested_slot"] == "age"
    try:
        servers.stop_actions()
        reply = servers.say(sender, "58")
        texts = [m.get("text", "") for m in reply]
        assert texts and "something went wrong" in texts[0], texts
    finally:
        servers.start_actions()
    during = servers.slots(sender)
    assert during["type2_diabetes"] is True and during["sex"] == "female"
    assert during["requested_slot"] == "age"  # the question is still open
    reply = servers.say(sender, "58")
    after = servers.slots(sender)
    assert after["age"] == 58 and after["sex"] == "female" and after["type2_diabetes"] is True
    assert after["requested_slot"] == "years_since_menopause"
    assert any("periods stop" in m.get("text", "") for m in reply), reply
