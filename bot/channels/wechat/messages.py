"""Incoming WeChat XML, parsed safely: defusedxml first, then wechatpy's crypto and parser.

The raw body is parsed by defusedxml with DTDs, entities and external references forbidden (a
billion-laughs body fails here, before any other parser sees it). In safe mode the ``Encrypt``
element is checked against ``msg_signature`` and decrypted by wechatpy (AES-CBC; the app id inside
must match); the plaintext goes through defusedxml again, then wechatpy's ``parse_message``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage

from bot.channels.wechat.security import Refused

Kind = Literal["text", "event", "other"]
REQUIRED_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType")
MAX_OPENID_CHARS = 64


@dataclass(frozen=True)
class Incoming:
    """What the channel needs from one WeChat message or event."""

    kind: Kind
    #: FromUserName: the person's OpenID for this Official Account.
    sender: str
    #: ToUserName: the account's original id (gh_...), the ``FromUserName`` of our reply.
    account: str
    create_time: int
    msg_id: int | None
    #: The text for ``text``; empty otherwise.
    content: str = ""
    #: Lower-case event name (subscribe, unsubscribe, click, ...) for ``event``.
    event: str | None = None
    #: The wechatpy message, for building the reply XML.
    message: BaseMessage | None = None


def safe_root(xml: bytes | str) -> Element:
    """The root element, or ``Refused(400)`` for malformed XML, a DTD, entities or external references."""
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise Refused(400, f"XML with a DTD or entities is refused ({type(exc).__name__})") from exc
    except (SafeET.ParseError, ValueError, TypeError) as exc:
        raise Refused(400, "malformed XML") from exc
    if root.tag != "xml":
        raise Refused(400, "the root element must be <xml>")
    return root


def decrypt(crypto: WeChatCrypto, root: Element, query: Mapping[str, str]) -> str:
    """Check ``msg_signature`` over the ``Encrypt`` element and decrypt it (the app id must match)."""
    encrypted = root.findtext("Encrypt")
    if not encrypted:
        raise Refused(400, "safe mode: the body has no Encrypt element")
    if query.get("encrypt_type", "").lower() != "aes":
        raise Refused(403, "safe mode: encrypt_type=aes is required")
    msg_signature, timestamp, nonce = (query.get(name) or "" for name in ("msg_signature", "timestamp", "nonce"))
    if not msg_signature:
        raise Refused(403, "safe mode: missing msg_signature")
    try:
        return crypto.decrypt_message({"Encrypt": encrypted}, msg_signature, timestamp, nonce)
    except InvalidSignatureException as exc:
        raise Refused(403, "bad msg_signature") from exc
    except InvalidAppIdException as exc:
        raise Refused(403, "the message is for another app id") from exc
    except Exception as exc:  # bad base64, padding, length: wechatpy raises several types
        raise Refused(400, f"cannot decrypt the message ({type(exc).__name__})") from exc


def parse(body: bytes, query: Mapping[str, str], crypto: WeChatCrypto | None) -> Incoming:
    """The message in ``body``; ``crypto`` is set in safe mode (plaintext bodies are then refused)."""
    root = safe_root(body)
    if crypto is not None:
        plaintext = decrypt(crypto, root, query)
        root = safe_root(plaintext)
        xml: bytes | str = plaintext
    else:
        if root.find("Encrypt") is not None and root.find("MsgType") is None:
            raise Refused(400, "an encrypted message, but safe mode is not configured")
        xml = body
    missing = [name for name in REQUIRED_FIELDS if not (root.findtext(name) or "").strip()]
    if missing:
        raise Refused(400, f"missing fields: {', '.join(missing)}")
    try:
        message = parse_message(xml)
        sender, account, create_time = message.source, message.target, int(message.time)
        msg_id = int(root.findtext("MsgId") or 0) or None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise Refused(400, f"unreadable message fields ({type(exc).__name__})") from exc
    except Exception as exc:  # xmltodict's expat errors; defusedxml already parsed the same text
        raise Refused(400, f"unreadable message ({type(exc).__name__})") from exc
    if len(sender) > MAX_OPENID_CHARS:
        raise Refused(400, "FromUserName is too long")
    if message.type == "text":
        content = root.findtext("Content")
        if content is None:
            raise Refused(400, "missing fields: Content")
        return Incoming("text", sender, account, create_time, msg_id, content=content, message=message)
    if message.type == "event" or root.findtext("MsgType") == "event":
        event = (root.findtext("Event") or "").strip().lower()
        if not event:
            raise Refused(400, "missing fields: Event")
        return Incoming("event", sender, account, create_time, msg_id, event=event, message=message)
    return Incoming("other", sender, account, create_time, msg_id, message=message)
