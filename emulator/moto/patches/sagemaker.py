"""SageMaker: every instance type of the API, and Describe answers without empty objects.

- CreateEndpointConfig: moto checks `InstanceType` against an old hand-written list that
  lacks e.g. `ml.g5.*`; the check now uses the `ProductionVariantInstanceType` enum of the
  SageMaker API model shipped with botocore (what AWS validates against).
- DescribeModel / DescribeEndpointConfig / DescribeEndpoint: moto answers `VpcConfig: {}`,
  `DataCaptureConfig: {}`, `Containers: []` when they were never set; AWS leaves them out.
  The empty objects read as "configured with nothing" and force the provider to replace
  models and endpoint configurations on the next plan.
- DescribeEndpointConfig: AWS reports `InitialVariantWeight: 1.0` for an instance-based
  variant created without a weight, and keeps the variant's other settings as given.
"""

import botocore.session
from moto.core.responses import ActionResult
from moto.sagemaker import models
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.exceptions import ValidationError

_service = botocore.session.get_session().get_service_model("sagemaker")
PRODUCTION_VARIANT_INSTANCE_TYPES = list(
    _service.shape_for("ProductionVariantInstanceType").enum
)


def _validate_instance_type(self, instance_type):
    if instance_type not in PRODUCTION_VARIANT_INSTANCE_TYPES:
        raise ValidationError(
            message=(
                f"Value '{instance_type}' at 'instanceType' failed to satisfy constraint: "
                f"Member must satisfy enum value set: {PRODUCTION_VARIANT_INSTANCE_TYPES}"
            )
        )


def _is_empty(value):
    return value is None or value == [None] or value == {} or value == []


def _present(response):
    return {k: v for k, v in response.items() if not _is_empty(v)}


def _describe(original, extra=None):
    def handler(self):
        result = original(self)
        response = _present(result.result)
        if extra is not None:
            extra(response)
        return ActionResult(response)

    return handler


def _endpoint_config_defaults(response):
    variants = []
    for variant in response.get("ProductionVariants") or []:
        variant = dict(variant)
        if "InstanceType" in variant and "InitialVariantWeight" not in variant:
            variant["InitialVariantWeight"] = 1.0
        variants.append(variant)
    if variants:
        response["ProductionVariants"] = variants


def apply():
    models.FakeEndpointConfig.validate_instance_type = _validate_instance_type
    cls = SageMakerResponse
    cls.describe_model = _describe(cls.describe_model)
    cls.describe_endpoint_config = _describe(cls.describe_endpoint_config, _endpoint_config_defaults)
    cls.describe_endpoint = _describe(cls.describe_endpoint)
