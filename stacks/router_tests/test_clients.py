"""Model client payloads (SageMaker TGI, Bedrock Anthropic messages) and lazy boto3."""

import io
import json
import subprocess
import sys
import types
import unittest

import support
from support import body_of, make_router

import clients


class PayloadTest(unittest.TestCase):
    def setUp(self):
        self.router, self.aws, _ = make_router()

    def test_sagemaker_tgi_payload(self):
        self.router.handle({"prompt": "Name a colour.", "max_tokens": 42})
        [call] = self.aws.calls
        kw = call["kwargs"]
        self.assertEqual(kw["EndpointName"], "llama-8b-simple")
        self.assertEqual(kw["ContentType"], "application/json")
        self.assertEqual(json.loads(kw["Body"]),
                         {"inputs": "Name a colour.", "parameters": {"max_new_tokens": 42}})

    def test_bedrock_anthropic_payload(self):
        body = body_of(self.router.handle({"prompt": "Name a colour.", "tier": "bedrock",
                                           "max_tokens": 42}))
        [call] = self.aws.calls
        kw = call["kwargs"]
        self.assertEqual(kw["modelId"], support.env()["BEDROCK_MODEL"])
        self.assertEqual(kw["contentType"], "application/json")
        self.assertEqual(json.loads(kw["body"]), {
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": 42,
            "messages": [{"role": "user", "content": "Name a colour."}],
        })
        self.assertEqual(body["output"], "[bedrock] answer to: Name a colour.")
        self.assertEqual(body["usage"], {"input_tokens": 11, "output_tokens": 7,
                                         "estimated": False})

    def test_bedrock_chat_with_system_and_merged_turns(self):
        self.router.handle({"tier": "bedrock", "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "One."},
            {"role": "user", "content": "Two."},
            {"role": "assistant", "content": "Yes?"},
            {"role": "user", "content": "Three."},
        ]})
        payload = self.aws.calls[0]["payload"]
        self.assertEqual(payload["system"], "Be brief.")
        self.assertEqual(payload["messages"], [
            {"role": "user", "content": "One.\n\nTwo."},
            {"role": "assistant", "content": "Yes?"},
            {"role": "user", "content": "Three."},
        ])

    def test_chat_templates(self):
        msgs = [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}]
        self.assertEqual(
            clients.chat_prompt(msgs, "llama3"),
            "<|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
        )
        self.assertEqual(clients.chat_prompt(msgs, "plain"), "System: S\n\nUser: U\n\nAssistant:")
        r, aws, _ = make_router(CHAT_TEMPLATE="plain")
        r.handle({"messages": msgs})
        self.assertEqual(aws.calls[0]["payload"]["inputs"], "System: S\n\nUser: U\n\nAssistant:")

    def test_tgi_token_details_and_dict_answers(self):
        class Client:
            def __init__(self, body):
                self.body = body

            def invoke_endpoint(self, **_):
                return {"Body": io.BytesIO(json.dumps(self.body).encode())}

        req = support.router.protocol.parse_event({"prompt": "abcdefgh"})
        for body, expected in (
            ([{"generated_text": "xy", "details": {"generated_tokens": 9}}], (2, 9)),
            ({"generated_text": "abcdefgh"}, (2, 2)),
        ):
            models = clients.Models({"small": "e"}, lambda _s, b=body: Client(b))
            answer = models.invoke("small", req)
            self.assertEqual((answer.input_tokens, answer.output_tokens), expected)
            self.assertTrue(answer.estimated)

    def test_clients_are_created_once(self):
        for _ in range(3):
            self.router.handle({"prompt": "hi"})
            self.router.handle({"prompt": "hi", "tier": "bedrock"})
        self.assertEqual(self.aws.services, ["sagemaker-runtime", "bedrock-runtime"])

    def test_describe_error(self):
        self.assertEqual(clients.describe_error(ValueError("bad\n  thing")), "ValueError: bad thing")
        self.assertEqual(clients.describe_error(TimeoutError()), "TimeoutError")
        err = support.ClientError("ValidationException", "Input is too long", "InvokeModel")
        self.assertEqual(clients.describe_error(err), "ValidationException: Input is too long")


class Boto3Test(unittest.TestCase):
    def test_importing_and_serving_never_imports_boto3(self):
        code = (
            "import sys; sys.dont_write_bytecode = True; sys.path.insert(0, sys.argv[1]);"
            "import support, router;"
            "r, aws, _ = support.make_router(); r.handle({'prompt': 'hi'});"
            "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules, 'imported'"
        )
        subprocess.run([sys.executable, "-c", code, support.HERE],
                       check=True, capture_output=True)

    def test_the_default_factory_builds_a_client_without_retries(self):
        made = []
        boto3 = types.ModuleType("boto3")
        boto3.client = lambda service, config: made.append((service, config)) or "client"
        botocore = types.ModuleType("botocore")
        config_mod = types.ModuleType("botocore.config")
        config_mod.Config = lambda **kw: kw
        saved = {k: sys.modules.get(k) for k in ("boto3", "botocore", "botocore.config")}
        sys.modules.update({"boto3": boto3, "botocore": botocore, "botocore.config": config_mod})
        try:
            self.assertEqual(clients.boto3_client("sagemaker-runtime"), "client")
            clients.boto3_client("bedrock-runtime")
        finally:
            for k, v in saved.items():
                if v is None:
                    sys.modules.pop(k, None)
                else:
                    sys.modules[k] = v
        self.assertEqual(made[0], ("sagemaker-runtime", {
            "connect_timeout": 2, "read_timeout": 12,
            "retries": {"total_max_attempts": 1, "mode": "standard"}}))
        self.assertEqual(made[1][1]["read_timeout"], 25)


if __name__ == "__main__":
    unittest.main()
