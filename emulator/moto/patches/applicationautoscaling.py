"""Application Auto Scaling: tags on scalable targets.

moto 5.2.5 ignores `Tags` on `RegisterScalableTarget` and lacks `ListTagsForResource`,
`TagResource` and `UntagResource`, which the provider calls for every
`aws_appautoscaling_target`. Tags are kept per scalable target ARN and dropped with the
target on `DeregisterScalableTarget`; an unknown ARN answers `ResourceNotFoundException`.
"""

import json

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.exceptions import JsonRESTError


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, arn):
        super().__init__("ResourceNotFoundException", f"No scalable target found for ARN: {arn}")


def _tags(backend):
    tags = backend.__dict__.get("_target_tags")
    if tags is None:
        tags = {}
        backend.__dict__["_target_tags"] = tags
    return tags


def _target_arns(backend):
    return {
        target.arn
        for targets in backend.targets.values()
        for target in targets.values()
    }


def _checked(backend, arn):
    if arn not in _target_arns(backend):
        raise ResourceNotFoundException(arn)
    return _tags(backend).setdefault(arn, {})


def list_tags_for_resource(self):
    backend = self.applicationautoscaling_backend
    tags = _checked(backend, self._get_param("ResourceARN"))
    return json.dumps({"Tags": dict(tags)})


def tag_resource(self):
    backend = self.applicationautoscaling_backend
    tags = _checked(backend, self._get_param("ResourceARN"))
    tags.update(self._get_param("Tags") or {})
    return json.dumps({})


def untag_resource(self):
    backend = self.applicationautoscaling_backend
    tags = _checked(backend, self._get_param("ResourceARN"))
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


def _wrap_register(original):
    def register_scalable_target(self):
        body = original(self)
        arn = json.loads(body)["ScalableTargetARN"]
        new_tags = self._get_param("Tags")
        if new_tags:
            _tags(self.applicationautoscaling_backend).setdefault(arn, {}).update(new_tags)
        return body

    return register_scalable_target


def _wrap_deregister(original):
    def deregister_scalable_target(self):
        backend = self.applicationautoscaling_backend
        before = _target_arns(backend)
        body = original(self)
        for arn in before - _target_arns(backend):
            _tags(backend).pop(arn, None)
        return body

    return deregister_scalable_target


def apply():
    cls = ApplicationAutoScalingResponse
    cls.list_tags_for_resource = list_tags_for_resource
    cls.tag_resource = tag_resource
    cls.untag_resource = untag_resource
    cls.register_scalable_target = _wrap_register(cls.register_scalable_target)
    cls.deregister_scalable_target = _wrap_deregister(cls.deregister_scalable_target)
