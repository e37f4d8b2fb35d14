"""EC2: descriptions of security group rules that reference a group or a prefix list.

`DescribeSecurityGroupRules` answers `Description` only for rules with a CIDR range in
moto 5.2.5; a rule authorized with a `UserIdGroupPairs` entry (another security group) or a
`PrefixListIds` entry loses the description it was created with, and every
`aws_vpc_security_group_ingress_rule`/`egress_rule` with `referenced_security_group_id` or
`prefix_list_id` and a `description` shows drift on the next plan. The description now comes
from whichever entry the rule was authorized with, as in AWS.
"""

from moto.ec2.models import security_groups


def _description(self):
    for entry in (self.ip_range, self.source_group, getattr(self, "_prefix_list", None) or {}):
        if entry.get("Description") is not None:
            return entry["Description"]
    return None


def apply():
    cls = security_groups.SecurityGroupRule
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id")
        if prefix_list is None and len(args) > 7:
            prefix_list = args[7]
        self._prefix_list = prefix_list if isinstance(prefix_list, dict) else None

    cls.__init__ = __init__
    cls.description = property(_description)
