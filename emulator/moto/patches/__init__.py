"""Patches that make moto answer what the AWS provider asks of it.

Each module fixes one service and exposes `apply()`; `apply_all()` applies them all.
"""

from . import applicationautoscaling, batch, ec2, elasticache, sagemaker, stepfunctions

MODULES = [applicationautoscaling, batch, ec2, elasticache, sagemaker, stepfunctions]


def apply_all():
    for module in MODULES:
        module.apply()
