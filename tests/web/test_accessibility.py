"""WCAG 2.2 AA with axe-core (zero serious or critical violations), and reflow at 360 px and at 200 % zoom."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import NO_DIABETES
from tests.web.chat import ChatPage, screen
from tests.web.conftest import DESKTOP, PHONE
from tests.web.webapp import WebApp

WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
#: 1280×800 at 200 % zoom is a 640×400 CSS-pixel viewport at twice the pixel density.
ZOOMED = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page, options=WCAG_22_AA)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("display", ["default", "large-contrast"])
def test_start_mid_screening_and_outcome_have_no_serious_violations(
    new_context: Any, web: WebApp, web_servers: Servers, viewport: dict[str, int], display: str
) -> None:
    page = new_context(viewport).new_page()
    chat = ChatPage(page, web).open()
    if display == "large-contrast":
        if not page.locator("#contrast").is_visible():  # folded away on a phone
            page.locator("#display summary").click()
        page.get_by_role("button", name="Extra large").click()
        page.get_by_role("button", name="High contrast").click()
        assert page.evaluate("() => document.documentElement.className").split() == ["size-xlarge", "contrast"]
    assert serious_violations(page) == [], "start page"
    chat.press("Check if I might qualify")
    chat.press("Yes, I agree")
    assert chat.quick_replies() == ["Yes", "No", "I don't know"] and chat.progress()
    assert serious_violations(page) == [], "mid-screening"
    assert no_horizontal_scroll(page)
    chat.press("No")  # no type 2 diabetes: the outcome at once
    assert "cannot join" in chat.bot_texts()[-1]
    assert serious_violations(page) == [], "outcome"
    assert no_horizontal_scroll(page)


@pytest.mark.parametrize(
    "options",
    [{"viewport": PHONE}, ZOOMED, {"viewport": {"width": 320, "height": 640}}],
    ids=["360px", "200pct-zoom", "320px"],
)
def test_no_horizontal_scrolling_at_small_widths_and_zoom(
    new_context: Any, web: WebApp, web_servers: Servers, options: dict[str, Any]
) -> None:
    page = new_context(**options).new_page()
    chat = ChatPage(page, web).open()
    assert no_horizontal_scroll(page)
    screen(chat, web_servers, NO_DIABETES)
    for size in ("normal", "large", "xlarge"):
        page.evaluate(f"() => localStorage.setItem('chat.textSize', '{size}')")
        page.reload()
        page.wait_for_selector("body.ready")
        assert no_horizontal_scroll(page), size
        # every button and the message box fit inside the viewport
        too_wide = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth + 1;
                return [...document.querySelectorAll('button, input, .msg')]
                    .filter(e => e.offsetParent && e.getBoundingClientRect().right > width)
                    .map(e => e.textContent.trim() || e.id);
            }"""
        )
        assert too_wide == [], (size, too_wide)
    assert serious_violations(page) == []
