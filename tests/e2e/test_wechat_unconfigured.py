"""Without WECHAT_* variables (a plain `make run`) Rasa starts and the WeChat endpoint says why it cannot work."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.servers import Servers


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_wechat_endpoint_answers_503_when_not_configured(servers: Servers, method: str) -> None:
    if "WECHAT_APP_ID" in servers.env():
        pytest.skip("WECHAT_* is set in this environment")
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/wechat/webhook?signature=x&timestamp=1&nonce=1&echostr=1",
        data=b"<xml/>" if method == "POST" else None,
        method=method,
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=30)
    assert raised.value.code == 503
    assert json.loads(raised.value.read()) == {"error": "WeChat is not configured"}
    # The REST channel beside it is unaffected.
    assert servers.say("e2e-wechat-unconfigured", "hello")
