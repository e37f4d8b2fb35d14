"""Model clients: the SageMaker endpoints (TGI) and the Bedrock model (Anthropic messages).

The AWS clients come from a factory `factory(service_name) -> client`. The default one imports
boto3 only when the first model call needs it (the Lambda runtime has boto3; the tests pass
fakes and never import it). Clients are created once per Lambda sandbox and reused.
"""

import json

from routing import estimate_tokens

SAGEMAKER = "sagemaker-runtime"
BEDROCK = "bedrock-runtime"
ANTHROPIC_VERSION = "bedrock-2023-05-31"

# Seconds: a slow tier must leave time for the next one within the Lambda timeout.
READ_TIMEOUTS = {SAGEMAKER: 12, BEDROCK: 25}
CONNECT_TIMEOUT = 2


def boto3_client(service):
    """A boto3 client without retries (a throttled tier falls back to the next one instead)."""
    import boto3  # the Lambda runtime provides it; imported on first use only
    from botocore.config import Config

    config = Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUTS.get(service, 25),
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(service, config=config)


class ModelResponseError(Exception):
    """A model answered with something that is not the expected JSON."""


class Answer:
    """A model's answer and its token usage (estimated when the model does not report it)."""

    __slots__ = ("output", "input_tokens", "output_tokens", "estimated")

    def __init__(self, output, input_tokens, output_tokens, estimated):
        self.output = output
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.estimated = estimated

    def usage(self):
        """The usage object of a response."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "estimated": self.estimated,
        }


def describe_error(exc, limit=200):
    """`Code: message` of a botocore ClientError, or `ExceptionType: message` otherwise."""
    response = getattr(exc, "response", None)
    code = message = None
    if isinstance(response, dict):
        error = response.get("Error") or {}
        code, message = error.get("Code"), error.get("Message")
    if not code:
        code, message = type(exc).__name__, str(exc)
    text = f"{code}: {message}" if message else str(code)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def chat_prompt(messages, template):
    """The text a TGI endpoint gets for a chat: the Llama 3 chat template (`llama3`, the
    default; the tokenizer adds <|begin_of_text|>) or a plain `Role: content` transcript."""
    if template == "plain":
        lines = [f"{m['role'].capitalize()}: {m['content']}" for m in messages]
        return "\n\n".join(lines) + "\n\nAssistant:"
    parts = [
        f"<|start_header_id|>{m['role']}<|end_header_id|>\n\n{m['content']}<|eot_id|>"
        for m in messages
    ]
    parts.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return "".join(parts)


def anthropic_messages(messages):
    """`(system, messages)` for the Anthropic messages API: system messages become the
    `system` text and consecutive messages of one role are merged."""
    system = [m["content"] for m in messages if m["role"] == "system"]
    merged = []
    for m in messages:
        if m["role"] == "system":
            continue
        if merged and merged[-1]["role"] == m["role"]:
            merged[-1]["content"] += "\n\n" + m["content"]
        else:
            merged.append({"role": m["role"], "content": m["content"]})
    return "\n\n".join(system), merged


def _read(body):
    return body.read() if hasattr(body, "read") else body


class Models:
    """Calls the tier's model: `invoke(tier, request) -> Answer`, raising on any failure."""

    def __init__(self, endpoints, factory=None, chat_template="llama3"):
        self.endpoints = endpoints  # {"small": name, "large": name, "bedrock": model id}
        self.factory = factory or boto3_client
        self.chat_template = chat_template
        self._clients = {}

    def client(self, service):
        """The AWS client of a service, created on first use."""
        c = self._clients.get(service)
        if c is None:
            c = self._clients[service] = self.factory(service)
        return c

    def invoke(self, tier, request):
        """The answer of the tier's model to a request."""
        if tier == "bedrock":
            return self._bedrock(self.endpoints["bedrock"], request)
        return self._sagemaker(self.endpoints[tier], request)

    def _sagemaker(self, endpoint, request):
        if request.prompt is not None:
            inputs = request.prompt
        else:
            inputs = chat_prompt(request.messages, self.chat_template)
        payload = {"inputs": inputs, "parameters": {"max_new_tokens": request.max_tokens}}
        response = self.client(SAGEMAKER).invoke_endpoint(
            EndpointName=endpoint,
            ContentType="application/json",
            Accept="application/json",
            Body=json.dumps(payload, ensure_ascii=False),
        )
        try:
            data = json.loads(_read(response["Body"]))
            first = data[0] if isinstance(data, list) else data
            text = first["generated_text"]
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise ModelResponseError(
                f"endpoint {endpoint} answered without generated_text ({type(e).__name__})"
            ) from None
        if not isinstance(text, str):
            raise ModelResponseError(f"endpoint {endpoint} answered a non-text generated_text")
        details = first.get("details") if isinstance(first, dict) else None
        generated = details.get("generated_tokens") if isinstance(details, dict) else None
        output_tokens = generated if isinstance(generated, int) else estimate_tokens(text)
        return Answer(text, estimate_tokens(inputs), output_tokens, True)

    def _bedrock(self, model_id, request):
        if request.prompt is not None:
            system, messages = "", [{"role": "user", "content": request.prompt}]
        else:
            system, messages = anthropic_messages(request.messages)
        body = {
            "anthropic_version": ANTHROPIC_VERSION,
            "max_tokens": request.max_tokens,
            "messages": messages,
        }
        if system:
            body["system"] = system
        response = self.client(BEDROCK).invoke_model(
            modelId=model_id,
            contentType="application/json",
            accept="application/json",
            body=json.dumps(body, ensure_ascii=False),
        )
        try:
            data = json.loads(_read(response["body"]))
            blocks = data["content"]
            text = "".join(b["text"] for b in blocks if b.get("type", "text") == "text")
            usage = data.get("usage") or {}
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
            raise ModelResponseError(
                f"model {model_id} answered without content text ({type(e).__name__})"
            ) from None
        input_tokens = usage.get("input_tokens")
        output_tokens = usage.get("output_tokens")
        if isinstance(input_tokens, int) and isinstance(output_tokens, int):
            return Answer(text, input_tokens, output_tokens, False)
        return Answer(text, estimate_tokens(request.text), estimate_tokens(text), True)
