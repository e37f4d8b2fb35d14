"""AWS Batch: compute environments without `serviceRole`.

`ServiceRole` is optional in `CreateComputeEnvironment`: without it AWS Batch uses its
service-linked role `AWSServiceRoleForBatch` (created in the account when first needed) and
`DescribeComputeEnvironments` reports that role's ARN as `serviceRole`. moto 5.2.5 rejects
the call with "ServiceRole is required"; now the service-linked role is created (path
`/aws-service-role/batch.amazonaws.com/`, trust policy for `batch.amazonaws.com`) and used.
"""

import json

from moto.batch import models
from moto.iam.exceptions import NotFoundException as IAMNotFoundException

ROLE_NAME = "AWSServiceRoleForBatch"
SERVICE = "batch.amazonaws.com"


def _service_linked_role_arn(backend):
    iam = backend.iam_backend
    try:
        return iam.get_role(ROLE_NAME).arn
    except IAMNotFoundException:
        pass
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": SERVICE}, "Action": "sts:AssumeRole"}
        ],
    }
    role = iam.create_role(
        ROLE_NAME,
        json.dumps(trust),
        f"/aws-service-role/{SERVICE}/",
        permissions_boundary=None,
        description="Allows Batch to create and manage AWS resources on your behalf.",
        tags=[],
        max_session_duration="3600",
        linked_service=SERVICE,
    )
    policy = "arn:aws:iam::aws:policy/aws-service-role/BatchServiceRolePolicy"
    try:
        iam.attach_role_policy(policy, ROLE_NAME)
    except Exception:  # the AWS-managed policies are loaded only on request
        pass
    return role.arn


def apply():
    cls = models.BatchBackend
    original = cls.create_compute_environment

    def create_compute_environment(self, compute_environment_name, _type, state,
                                   compute_resources, service_role, tags=None):
        if not service_role:
            service_role = _service_linked_role_arn(self)
        return original(self, compute_environment_name, _type, state, compute_resources,
                        service_role, tags=tags)

    cls.create_compute_environment = create_compute_environment
