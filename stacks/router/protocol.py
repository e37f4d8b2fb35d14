"""The request and response formats.

A request is a JSON object:

    {"prompt": "...", "max_tokens": 256, "tier": "large", "cache": false}
    {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}], ...}

`prompt` or `messages` is required (not both); `max_tokens` (1..4096, default 256), `tier`
(small | large | bedrock) and `cache` (default true) are optional; other fields are refused
so a misspelt option is not silently ignored.

It arrives either as a Lambda function URL event (`body` is a string, base64-encoded when
`isBase64Encoded` is true) or as the object itself on a direct invoke. Responses always have
the function URL shape `{"statusCode", "headers", "body"}` with a JSON body.
"""

import base64
import binascii
import json

from routing import TIERS

MAX_PROMPT_CHARS = 100_000
MAX_BODY_BYTES = 1_000_000
DEFAULT_MAX_TOKENS = 256
MAX_TOKENS_LIMIT = 4096
ROLES = ("system", "user", "assistant")
FIELDS = ("prompt", "messages", "max_tokens", "tier", "cache")

EXAMPLE = '{"prompt": "What is the capital of France?"}'


class BadRequest(Exception):
    """A request the router refuses: what is wrong, and how to fix it."""

    def __init__(self, message, hint):
        super().__init__(message)
        self.message = message
        self.hint = hint


class Request:
    """A validated request."""

    __slots__ = ("prompt", "messages", "max_tokens", "tier", "use_cache", "text")

    def __init__(self, prompt, messages, max_tokens, tier, use_cache):
        self.prompt = prompt
        self.messages = messages
        self.max_tokens = max_tokens
        self.tier = tier
        self.use_cache = use_cache
        if prompt is not None:
            self.text = prompt
        else:
            self.text = "\n".join(m["content"] for m in messages)

    def normalised(self):
        """The input with whitespace runs collapsed to one space (case kept), for cache keys."""
        if self.prompt is not None:
            return {"prompt": " ".join(self.prompt.split())}
        return {"messages": [[m["role"], " ".join(m["content"].split())] for m in self.messages]}


def _json_type(value):
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
             float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _quote(value, limit=60):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _body_of(event):
    """The request object of a function URL event or a direct invoke."""
    if isinstance(event, (bytes, bytearray)):
        event = event.decode("utf-8", errors="replace")
    if isinstance(event, str):
        return _parse_json(event)
    if not isinstance(event, dict):
        raise BadRequest(
            f"the event is a JSON {_json_type(event)}, not an object",
            f"send a JSON object such as {EXAMPLE}",
        )
    is_url_event = ("body" in event or "requestContext" in event) and not (
        "prompt" in event or "messages" in event
    )
    if not is_url_event:
        return event
    body = event.get("body")
    if isinstance(body, dict):
        return body
    if body is None or body == "":
        raise BadRequest(
            "the request body is empty",
            f"POST a JSON object such as {EXAMPLE} with content-type application/json",
        )
    if not isinstance(body, str):
        raise BadRequest("the request body is not text", f"POST a JSON object such as {EXAMPLE}")
    if event.get("isBase64Encoded"):
        if len(body) > MAX_BODY_BYTES * 4 // 3 + 4:
            raise _too_large(len(body) * 3 // 4)
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(
                "the request body is marked base64 but is not valid base64",
                "send the JSON body as is (the function URL encodes it when needed)",
            ) from None
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(
                "the request body is not UTF-8 text",
                f"send a UTF-8 JSON object such as {EXAMPLE}",
            ) from None
    return _parse_json(body)


def _too_large(size):
    return BadRequest(
        f"the request body is {size} bytes; the limit is {MAX_BODY_BYTES}",
        f"shorten the prompt (at most {MAX_PROMPT_CHARS} characters) or split the request",
    )


def _parse_json(text):
    if len(text) > MAX_BODY_BYTES:
        raise _too_large(len(text))
    try:
        return json.loads(text)
    except ValueError as e:
        raise BadRequest(
            f"the request body is not valid JSON ({e})",
            f"send a JSON object such as {EXAMPLE}",
        ) from None


def parse_event(event):
    """Validates an event into a `Request`, or raises `BadRequest`."""
    body = _body_of(event)
    if not isinstance(body, dict):
        raise BadRequest(
            f"the request is a JSON {_json_type(body)}, not an object",
            f"send a JSON object such as {EXAMPLE}",
        )
    unknown = sorted(k for k in body if k not in FIELDS)
    if unknown:
        names = ", ".join(_quote(k) for k in unknown)
        raise BadRequest(
            f"unknown field{'s' if len(unknown) > 1 else ''} {names}",
            f"the accepted fields are {', '.join(FIELDS)}",
        )
    prompt = body.get("prompt")
    messages = body.get("messages")
    if prompt is not None and messages is not None:
        raise BadRequest(
            "the request has both `prompt` and `messages`",
            "send either a `prompt` string or a `messages` list, not both",
        )
    if prompt is None and messages is None:
        raise BadRequest(
            "the request has no `prompt`",
            f'send {EXAMPLE} or {{"messages": [{{"role": "user", "content": "..."}}]}}',
        )
    if prompt is not None:
        if not isinstance(prompt, str):
            raise BadRequest(
                f"`prompt` must be a string, not {_quote(prompt)}",
                f"send the prompt as text: {EXAMPLE}",
            )
        if not prompt.strip():
            raise BadRequest("`prompt` is empty", f"send a question or instruction: {EXAMPLE}")
        size = len(prompt)
    else:
        messages = _messages(messages)
        size = sum(len(m["content"]) for m in messages)
    if size > MAX_PROMPT_CHARS:
        raise BadRequest(
            f"the prompt is {size} characters; the limit is {MAX_PROMPT_CHARS}",
            "shorten the prompt or split the work into several requests",
        )
    max_tokens = body.get("max_tokens", DEFAULT_MAX_TOKENS)
    if (
        not isinstance(max_tokens, int)
        or isinstance(max_tokens, bool)
        or not 1 <= max_tokens <= MAX_TOKENS_LIMIT
    ):
        raise BadRequest(
            f"`max_tokens` is {_quote(max_tokens)}; it must be an integer from 1 to "
            f"{MAX_TOKENS_LIMIT}",
            f"send e.g. \"max_tokens\": 512, or leave it out for {DEFAULT_MAX_TOKENS}",
        )
    tier = body.get("tier")
    if tier is not None and tier not in TIERS:
        raise BadRequest(
            f"unknown tier {_quote(tier)}",
            f"use one of {', '.join(TIERS)}, or leave `tier` out to route by complexity",
        )
    use_cache = body.get("cache", True)
    if not isinstance(use_cache, bool):
        raise BadRequest(
            f"`cache` is {_quote(use_cache)}; it must be true or false",
            "send \"cache\": false to skip the response cache, or leave it out",
        )
    return Request(prompt, messages, max_tokens, tier, use_cache)


def _messages(messages):
    shape = '[{"role": "user", "content": "..."}]'
    if not isinstance(messages, list) or not messages:
        raise BadRequest(
            "`messages` must be a non-empty list of {role, content} objects",
            f"send e.g. \"messages\": {shape}",
        )
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise BadRequest(
                f"messages[{i}] is {_quote(m)}, not an object",
                f"each message is an object such as {shape[1:-1]}",
            )
        extra = sorted(k for k in m if k not in ("role", "content"))
        if extra:
            raise BadRequest(
                f"messages[{i}] has unknown field {_quote(extra[0])}",
                "a message has only `role` and `content`",
            )
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise BadRequest(
                f"messages[{i}].role is {_quote(role)}",
                f"use one of {', '.join(ROLES)}",
            )
        if not isinstance(content, str):
            raise BadRequest(
                f"messages[{i}].content must be a string, not {_quote(content)}",
                "send the message text as a string",
            )
        out.append({"role": role, "content": content})
    if out[-1]["role"] != "user":
        raise BadRequest(
            f"the last message has role {_quote(out[-1]['role'])}",
            "end `messages` with the user message the model should answer",
        )
    if not any(m["content"].strip() for m in out if m["role"] == "user"):
        raise BadRequest("the user messages are empty", "send a question or instruction")
    return out


HEADERS = {"content-type": "application/json"}


def response(status, payload, headers=None):
    """A function URL response with a JSON body."""
    h = HEADERS if headers is None else {**HEADERS, **headers}
    return {
        "statusCode": status,
        "headers": h,
        "body": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def bad_request(e):
    """The 400 response of a `BadRequest`."""
    return response(400, {"error": e.message, "hint": e.hint})
