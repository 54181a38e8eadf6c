"""WeChat Official Account channel (Rasa custom input channel), built on wechatpy and defusedxml.

One module per concept: ``settings`` (environment), ``security`` (signatures, time window, nonces),
``messages`` (safe XML parsing and decryption), ``dedupe`` (WeChat's retries processed once),
``token`` (the one central access token), ``client`` (wechatpy pointed at it), ``render`` (bot
messages to WeChat text), ``options`` (numbered replies back to button payloads), ``delivery`` (the
5-second rule: passive reply or customer-service messages), ``webhook`` (the request logic) and
``channel`` (the Rasa ``InputChannel``: credentials.yml names ``bot.channels.wechat.channel.WeChatInput``).
This package file stays import-light so the pure modules are testable without Rasa.
"""
