"""ElastiCache: cache parameter groups, and replication groups that behave like AWS's.

Adds the cache parameter group API, which moto 5.2.5 lacks entirely:
`CreateCacheParameterGroup`, `DescribeCacheParameterGroups`, `ModifyCacheParameterGroup`,
`ResetCacheParameterGroup`, `DeleteCacheParameterGroup`, `DescribeCacheParameters`,
`DescribeEngineDefaultParameters`, plus tags on `parametergroup` ARNs
(`ListTagsForResource`, `AddTagsToResource`, `RemoveTagsFromResource`). Every family has its
`default.<family>` group, as in AWS.

Fixes replication groups (cluster mode disabled):
- `CreateReplicationGroup` honours `NumCacheClusters` (moto made one node unless
  `ReplicasPerNodeGroup` was given), rejects an unknown `CacheParameterGroupName`, and
  registers the member clusters `<id>-001`, `<id>-002`, … so `DescribeCacheClusters` answers
  for them (the provider reads engine version, parameter group, subnet group and security
  groups from the first member).
- `NodeGroups[].ReaderEndpoint` is reported next to `PrimaryEndpoint`.
- `DeleteReplicationGroup` answers `deleting` and then the group and its member clusters
  are gone (moto kept them `deleting` forever, so destroy never finished);
  `RetainPrimaryCluster` keeps the primary as a standalone cluster.
- `DeleteCacheCluster` likewise removes the cluster after answering `deleting`.

Adds `IncreaseReplicaCount` / `DecreaseReplicaCount` (cluster mode disabled: member clusters
are added as `<id>-00N` or removed), and makes `ModifyReplicationGroup` apply what moto
ignored (`CacheParameterGroupName`, `SecurityGroupIds`, `EngineVersion`,
`PreferredMaintenanceWindow`, `SnapshotWindow`, `NotificationTopicArn`,
`AutoMinorVersionUpgrade`, `TransitEncryptionEnabled`/`Mode`, `IpDiscovery`) to the group and
its member clusters.

Adds `DeleteCacheSubnetGroup` (refused with `CacheSubnetGroupInUse` while a cluster uses the
group) and `ModifyCacheSubnetGroup`.

Cache clusters report `CacheParameterGroup`, `SecurityGroups`, `AtRestEncryptionEnabled`,
a full engine version (`7.1` → `7.1.0`, as AWS reports it) and, with
`ShowCacheNodeInfo=true`, their `CacheNodes`.
"""

from re import compile as re_compile

from moto.core.common_models import BaseModel
from moto.core.responses import ActionResult, EmptyResult, PaginatedResult
from moto.elasticache import models
from moto.elasticache.exceptions import (
    CacheClusterNotFound,
    ElastiCacheException,
    InvalidParameterValueException,
    ReplicationGroupNotFound,
)
from moto.elasticache.responses import ElastiCacheResponse
from moto.utilities.utils import get_partition


class CacheParameterGroupNotFound(ElastiCacheException):
    code = "CacheParameterGroupNotFound"

    def __init__(self, name):
        super().__init__(f"CacheParameterGroup {name} not found.")


class CacheParameterGroupAlreadyExists(ElastiCacheException):
    code = "CacheParameterGroupAlreadyExists"

    def __init__(self, name):
        super().__init__(f"Parameter group {name} already exists.")


class InvalidCacheParameterGroupState(ElastiCacheException):
    code = "InvalidCacheParameterGroupState"


# ---------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------

EVICTION_POLICIES = (
    "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,"
    "volatile-ttl,noeviction"
)
YES_NO = "yes,no"

# name, default, data type, allowed values, modifiable, change type, minimum engine version
REDIS_PARAMETERS = [
    ("activedefrag", "no", "string", YES_NO, True, "immediate", "4.0.9"),
    ("active-defrag-cycle-max", "75", "integer", "1-75", True, "immediate", "4.0.9"),
    ("active-defrag-cycle-min", "5", "integer", "1-75", True, "immediate", "4.0.9"),
    ("active-defrag-ignore-bytes", "104857600", "integer", "1048576-", True, "immediate", "4.0.9"),
    ("active-defrag-max-scan-fields", "1000", "integer", "1-1000000", True, "immediate", "5.0.0"),
    ("active-defrag-threshold-lower", "10", "integer", "1-100", True, "immediate", "4.0.9"),
    ("active-defrag-threshold-upper", "100", "integer", "1-100", True, "immediate", "4.0.9"),
    ("active-expire-effort", "1", "integer", "1-10", True, "immediate", "6.0.0"),
    ("activerehashing", "yes", "string", YES_NO, True, "requires-reboot", "2.6.13"),
    ("acllog-max-len", "128", "integer", "1-10000", True, "immediate", "6.0.0"),
    ("appendfsync", "everysec", "string", "always,everysec,no", True, "immediate", "2.6.13"),
    ("appendonly", "no", "string", YES_NO, True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-normal-hard-limit", "0", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-normal-soft-limit", "0", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-normal-soft-seconds", "0", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-pubsub-hard-limit", "33554432", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-pubsub-soft-limit", "8388608", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-pubsub-soft-seconds", "60", "integer", "0-", True, "immediate", "2.6.13"),
    ("client-output-buffer-limit-replica-soft-seconds", "60", "integer", "0-", False, "immediate", "2.6.13"),
    ("client-query-buffer-limit", "1073741824", "integer", "1048576-1073741824", True, "immediate", "4.0.9"),
    ("close-on-replica-write", "yes", "string", YES_NO, True, "immediate", "2.8.23"),
    ("cluster-allow-pubsubshard-when-down", "yes", "string", YES_NO, True, "immediate", "7.0.0"),
    ("cluster-allow-reads-when-down", "no", "string", YES_NO, True, "immediate", "6.0.0"),
    ("cluster-enabled", "no", "string", YES_NO, True, "requires-reboot", "3.2.4"),
    ("cluster-require-full-coverage", "no", "string", YES_NO, True, "immediate", "3.2.4"),
    ("databases", "16", "integer", "1-1200000", True, "requires-reboot", "2.6.13"),
    ("hash-max-listpack-entries", "512", "integer", "0-", True, "immediate", "7.0.0"),
    ("hash-max-listpack-value", "64", "integer", "0-", True, "immediate", "7.0.0"),
    ("hll-sparse-max-bytes", "3000", "integer", "0-16000", True, "immediate", "3.2.4"),
    ("latency-tracking", "no", "string", YES_NO, True, "immediate", "7.0.0"),
    ("lazyfree-lazy-eviction", "no", "string", YES_NO, True, "immediate", "4.0.9"),
    ("lazyfree-lazy-expire", "no", "string", YES_NO, True, "immediate", "4.0.9"),
    ("lazyfree-lazy-server-del", "no", "string", YES_NO, True, "immediate", "4.0.9"),
    ("lazyfree-lazy-user-del", "no", "string", YES_NO, True, "immediate", "6.0.0"),
    ("lazyfree-lazy-user-flush", "no", "string", YES_NO, True, "immediate", "7.0.0"),
    ("lfu-decay-time", "1", "integer", "0-", True, "immediate", "4.0.9"),
    ("lfu-log-factor", "10", "integer", "1-", True, "immediate", "4.0.9"),
    ("list-compress-depth", "0", "integer", "0-", True, "immediate", "3.2.4"),
    ("list-max-listpack-size", "-2", "integer", "-5-", True, "immediate", "7.0.0"),
    ("lua-time-limit", "5000", "integer", "5000", False, "immediate", "2.6.13"),
    ("maxclients", "65000", "integer", "1-65000", False, "immediate", "2.6.13"),
    ("maxmemory-policy", "volatile-lru", "string", EVICTION_POLICIES, True, "immediate", "2.6.13"),
    ("maxmemory-samples", "3", "integer", "1-", True, "immediate", "2.6.13"),
    ("min-replicas-max-lag", "10", "integer", "0-", True, "immediate", "2.8.23"),
    ("min-replicas-to-write", "0", "integer", "0-", True, "immediate", "2.8.23"),
    ("notify-keyspace-events", "", "string", None, True, "immediate", "2.8.23"),
    ("proto-max-bulk-len", "536870912", "integer", "1048576-536870912", True, "immediate", "4.0.9"),
    ("repl-backlog-size", "1048576", "integer", "16384-", True, "immediate", "2.8.23"),
    ("repl-backlog-ttl", "3600", "integer", "0-", True, "immediate", "2.8.23"),
    ("replica-allow-chaining", "no", "string", "no", False, "immediate", "2.8.23"),
    ("replica-lazy-flush", "yes", "string", YES_NO, False, "immediate", "4.0.9"),
    ("reserved-memory-percent", "25", "integer", "0-100", True, "immediate", "3.2.4"),
    ("set-max-intset-entries", "512", "integer", "0-", True, "immediate", "2.6.13"),
    ("slowlog-log-slower-than", "10000", "integer", "-", True, "immediate", "2.6.13"),
    ("slowlog-max-len", "128", "integer", "0-", True, "immediate", "2.6.13"),
    ("stream-node-max-bytes", "4096", "integer", "0-", True, "immediate", "5.0.0"),
    ("stream-node-max-entries", "100", "integer", "0-", True, "immediate", "5.0.0"),
    ("tcp-keepalive", "300", "integer", "0-", True, "immediate", "2.6.13"),
    ("timeout", "0", "integer", "0,20-", True, "immediate", "2.6.13"),
    ("tracking-table-max-keys", "1000000", "integer", "1-100000000", True, "immediate", "6.0.0"),
    ("zset-max-listpack-entries", "128", "integer", "0-", True, "immediate", "7.0.0"),
    ("zset-max-listpack-value", "64", "integer", "0-", True, "immediate", "7.0.0"),
]

MEMCACHED_PARAMETERS = [
    ("binding_protocol", "auto", "string", "auto,binary,ascii", True, "requires-reboot", "1.4.5"),
    ("chunk_size", "48", "integer", "1-", True, "requires-reboot", "1.4.5"),
    ("chunk_size_growth_factor", "1.25", "numeric", "1-2", True, "requires-reboot", "1.4.5"),
    ("idle_timeout", "0", "integer", "0-", True, "immediate", "1.4.33"),
    ("max_item_size", "1048576", "integer", "1048576-134217728", True, "requires-reboot", "1.4.5"),
    ("max_simultaneous_connections_per_server", "65000", "integer", "1-65000", False, "immediate", "1.4.5"),
    ("maxconns_fast", "0", "boolean", "0,1", True, "requires-reboot", "1.4.5"),
]

REDIS_FAMILIES = ["redis2.6", "redis2.8", "redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7", "valkey7", "valkey8"]
MEMCACHED_FAMILIES = ["memcached1.4", "memcached1.5", "memcached1.6"]
FAMILIES = REDIS_FAMILIES + MEMCACHED_FAMILIES

# The engine version AWS reports for a requested major(.minor) version.
ENGINE_PATCH_VERSIONS = {
    "redis": {"7.1": "7.1.0", "7.0": "7.0.7", "7": "7.1.0", "6.2": "6.2.6", "6.0": "6.0.5", "6.x": "6.2.6", "5.0": "5.0.6", "4.0": "4.0.10"},
    "valkey": {"8.0": "8.0.1", "8": "8.0.1", "7.2": "7.2.6", "7": "7.2.6"},
    "memcached": {"1.6": "1.6.22", "1.5": "1.5.16", "1.4": "1.4.34"},
}
DEFAULT_ENGINE_VERSIONS = {"redis": "7.1.0", "valkey": "8.0.1", "memcached": "1.6.22"}
DEFAULT_FAMILIES = {"redis": "redis7", "valkey": "valkey8", "memcached": "memcached1.6"}


def _family_parameters(family):
    return MEMCACHED_PARAMETERS if family.startswith("memcached") else REDIS_PARAMETERS


def _version_tuple(text):
    out = []
    for part in text.split("."):
        out.append(int(part) if part.isdigit() else 0)
    return tuple(out)


def _family_minimum(family):
    for prefix in ("redis", "valkey", "memcached"):
        if family.startswith(prefix):
            return _version_tuple(family[len(prefix):].replace("x", "0") or "0")
    return (0,)


def _parameter_dicts(family, values, source_filter=None):
    """The `Parameter` list of a group of `family` with user `values`."""
    if family.startswith("valkey"):
        family_min = (99,)  # every Redis OSS parameter applies to Valkey
    else:
        family_min = _family_minimum(family)
    out = []
    for name, default, data_type, allowed, modifiable, change, min_version in _family_parameters(family):
        if _version_tuple(min_version)[:1] > family_min[:1]:
            continue
        source = "user" if name in values else "system"
        if source_filter and source_filter != source:
            if not (source_filter == "engine-default" and source == "system"):
                continue
        parameter = {
            "ParameterName": name,
            "ParameterValue": values.get(name, default),
            "Description": f"{name} for {family}",
            "Source": source,
            "DataType": data_type,
            "IsModifiable": modifiable,
            "MinimumEngineVersion": min_version,
            "ChangeType": change,
        }
        if allowed is not None:
            parameter["AllowedValues"] = allowed
        out.append(parameter)
    return out


def _check_value(name, value, data_type, allowed):
    def invalid():
        return InvalidParameterValueException(
            f"Value ({value}) for parameter {name} is invalid. Allowed values are: {allowed}"
        )

    if allowed is None:
        return
    if data_type == "string":
        if value not in allowed.split(","):
            raise invalid()
        return
    try:
        number = float(value)
    except ValueError:
        raise invalid()
    for allowed_range in allowed.split(","):
        if allowed_range == "-":
            return
        low, sep, high = allowed_range.rpartition("-") if allowed_range.count("-") else ("", "", allowed_range)
        if not sep:
            if number == float(allowed_range):
                return
            continue
        if (low == "" or number >= float(low)) and (high == "" or number <= float(high)):
            return
    raise invalid()


class CacheParameterGroup(BaseModel):
    def __init__(self, account_id, region_name, name, family, description):
        self.cache_parameter_group_name = name
        self.cache_parameter_group_family = family
        self.description = description
        self.is_global = False
        self.arn = (
            f"arn:{get_partition(region_name)}:elasticache:{region_name}:{account_id}"
            f":parametergroup:{name}"
        )
        self.values = {}

    @property
    def is_default(self):
        return self.cache_parameter_group_name.startswith("default.")

    def modify(self, name_values):
        known = {p[0]: p for p in _family_parameters(self.cache_parameter_group_family)}
        changes = {}
        for item in name_values:
            name = item.get("ParameterName")
            value = item.get("ParameterValue")
            if name not in known:
                raise InvalidParameterValueException(
                    f"Parameter {name} is not a valid parameter for family "
                    f"{self.cache_parameter_group_family}."
                )
            _, _, data_type, allowed, modifiable, _, _ = known[name]
            if not modifiable:
                raise InvalidParameterValueException(f"Parameter {name} is not modifiable.")
            _check_value(name, value, data_type, allowed)
            changes[name] = value
        self.values.update(changes)


def _groups(backend):
    groups = backend.__dict__.get("_cache_parameter_groups")
    if groups is None:
        groups = {}
        for family in FAMILIES:
            name = f"default.{family}"
            groups[name] = CacheParameterGroup(
                backend.account_id,
                backend.region_name,
                name,
                family,
                f"Default parameter group for {family}",
            )
        backend.__dict__["_cache_parameter_groups"] = groups
    return groups


def _group(backend, name):
    group = _groups(backend).get(name)
    if group is None:
        raise CacheParameterGroupNotFound(name)
    return group


def _group_in_use(backend, name):
    for cluster in backend.cache_clusters.values():
        if getattr(cluster, "cache_parameter_group_name", None) == name:
            return True
    for group in backend.replication_groups.values():
        if getattr(group, "cache_parameter_group_name", None) == name:
            return True
    return False


# ----- responses ----------------------------------------------------------------------


def create_cache_parameter_group(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheParameterGroupName")
    family = self._get_param("CacheParameterGroupFamily")
    description = self._get_param("Description")
    tags = self._get_param("Tags", [])
    groups = _groups(backend)
    if family not in FAMILIES:
        raise InvalidParameterValueException(
            f"The parameter CacheParameterGroupFamily {family} is not a valid family."
        )
    if name in groups:
        raise CacheParameterGroupAlreadyExists(name)
    if not name or name.lower().startswith("default."):
        raise InvalidParameterValueException(
            "The parameter CacheParameterGroupName is not a valid identifier."
        )
    group = CacheParameterGroup(backend.account_id, backend.region_name, name, family, description)
    groups[name] = group
    if tags:
        backend.tagging_service.tag_resource(group.arn, tags)
    return ActionResult({"CacheParameterGroup": group})


def describe_cache_parameter_groups(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheParameterGroupName")
    if name:
        groups = [_group(backend, name)]
    else:
        groups = sorted(_groups(backend).values(), key=lambda g: g.cache_parameter_group_name)
    return PaginatedResult({"CacheParameterGroups": groups})


def describe_cache_parameters(self):
    group = _group(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
    source = self._get_param("Source")
    parameters = _parameter_dicts(group.cache_parameter_group_family, group.values, source)
    return PaginatedResult({"Parameters": parameters, "CacheNodeTypeSpecificParameters": []})


def describe_engine_default_parameters(self):
    family = self._get_param("CacheParameterGroupFamily")
    if family not in FAMILIES:
        raise InvalidParameterValueException(
            f"The parameter CacheParameterGroupFamily {family} is not a valid family."
        )
    return ActionResult(
        {
            "EngineDefaults": {
                "CacheParameterGroupFamily": family,
                "Parameters": _parameter_dicts(family, {}),
                "CacheNodeTypeSpecificParameters": [],
            }
        }
    )


def modify_cache_parameter_group(self):
    group = _group(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
    if group.is_default:
        raise InvalidCacheParameterGroupState(
            f"Default parameter group {group.cache_parameter_group_name} can not be modified."
        )
    group.modify(self._get_param("ParameterNameValues", []))
    return ActionResult({"CacheParameterGroupName": group.cache_parameter_group_name})


def reset_cache_parameter_group(self):
    group = _group(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
    if group.is_default:
        raise InvalidCacheParameterGroupState(
            f"Default parameter group {group.cache_parameter_group_name} can not be modified."
        )
    if self._get_bool_param("ResetAllParameters"):
        group.values.clear()
    else:
        for item in self._get_param("ParameterNameValues", []):
            group.values.pop(item.get("ParameterName"), None)
    return ActionResult({"CacheParameterGroupName": group.cache_parameter_group_name})


def delete_cache_parameter_group(self):
    backend = self.elasticache_backend
    group = _group(backend, self._get_param("CacheParameterGroupName"))
    name = group.cache_parameter_group_name
    if group.is_default:
        raise InvalidCacheParameterGroupState(
            f"Default parameter group {name} can not be deleted."
        )
    if _group_in_use(backend, name):
        raise InvalidCacheParameterGroupState(
            f"Parameter group {name} is still referenced by a cache cluster or replication group."
        )
    del _groups(backend)[name]
    backend.tagging_service.delete_all_tags_for_resource(group.arn)
    return EmptyResult()


# ---------------------------------------------------------------------------------------
# Cache clusters and replication groups
# ---------------------------------------------------------------------------------------


def _full_engine_version(engine, version):
    engine = engine or "redis"
    if not version:
        return DEFAULT_ENGINE_VERSIONS.get(engine, version)
    return ENGINE_PATCH_VERSIONS.get(engine, {}).get(version, version)


def _family_of(engine, version):
    engine = engine or "redis"
    if not version:
        return DEFAULT_FAMILIES.get(engine, "redis7")
    major = version.split(".")[0]
    if engine == "memcached":
        return "memcached" + ".".join(version.split(".")[:2])
    if engine == "valkey":
        return f"valkey{major}"
    if major in ("6",):
        return "redis6.x"
    if int(major) >= 7 if major.isdigit() else False:
        return "redis7"
    return "redis" + ".".join(version.split(".")[:2])


def _cluster_parameter_group(self):
    name = self.cache_parameter_group_name or "default." + _family_of(self.engine, self.engine_version)
    return {
        "CacheParameterGroupName": name,
        "ParameterApplyStatus": "in-sync",
        "CacheNodeIdsToReboot": [],
    }


def _cluster_security_groups(self):
    return [{"SecurityGroupId": sg, "Status": "active"} for sg in self.security_group_ids or []]


def _cluster_cache_nodes(self):
    if not getattr(self, "_show_cache_node_info", False):
        return None
    nodes = []
    for i in range(self.num_cache_nodes or 1):
        nodes.append(
            {
                "CacheNodeId": f"{i + 1:04d}",
                "CacheNodeStatus": "available",
                "CacheNodeCreateTime": self.cache_cluster_create_time,
                "Endpoint": {
                    "Address": f"{self.cache_cluster_id}.{i + 1:04d}.use1.cache.amazonaws.com",
                    "Port": self.port,
                },
                "ParameterGroupStatus": "in-sync",
                "CustomerAvailabilityZone": self.preferred_availability_zone or "us-east-1a",
            }
        )
    return nodes


def _patch_cache_cluster_class():
    cls = models.CacheCluster
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.engine_version = _full_engine_version(self.engine, self.engine_version)
        if not hasattr(self, "at_rest_encryption_enabled"):
            self.at_rest_encryption_enabled = False
        if self.transit_encryption_enabled is None:
            self.transit_encryption_enabled = False

    cls.__init__ = __init__
    cls.cache_parameter_group = property(_cluster_parameter_group)
    cls.security_groups = property(_cluster_security_groups)
    cls.cache_nodes = property(_cluster_cache_nodes)


def _new_member_cluster(backend, group, member):
    """The cache cluster behind one member of a replication group, as AWS registers it."""
    cluster = models.CacheCluster(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_cluster_id=member["cache_cluster_id"],
        cache_node_type=group.cache_node_type,
        replication_group_id=group.replication_group_id,
        az_mode="single-az",
        preferred_availability_zone=member.get("preferred_availability_zone"),
        num_cache_nodes=1,
        engine=group.engine,
        engine_version=group.engine_version,
        cache_parameter_group_name=group.cache_parameter_group_name,
        cache_subnet_group_name=group.cache_subnet_group_name,
        transit_encryption_enabled=group.transit_encryption_enabled,
        network_type=group.network_type,
        ip_discovery=group.ip_discovery,
        snapshot_name=None,
        preferred_maintenance_window=group.preferred_maintenance_window,
        port=group.port,
        notification_topic_arn=group.notification_topic_arn,
        auto_minor_version_upgrade=group.auto_minor_version_upgrade,
        snapshot_retention_limit=group.snapshot_retention_limit,
        snapshot_window=group.snapshot_window,
        auth_token=None,
        outpost_mode=None,
        preferred_outpost_arn=None,
        preferred_availability_zones=None,
        cache_security_group_names=group.cache_security_group_names,
        security_group_ids=group.security_group_ids,
        tags=None,
        snapshot_arns=None,
        preferred_outpost_arns=None,
        log_delivery_configurations=[],
        cache_node_ids_to_remove=None,
        cache_node_ids_to_reboot=None,
    )
    cluster.auth_token_enabled = group.auth_token_enabled
    cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
    cluster.transit_encryption_mode = group.transit_encryption_mode
    backend.cache_clusters[cluster.cache_cluster_id] = cluster
    if group.tags:
        backend.tagging_service.tag_resource(cluster.arn, group.tags)
    return cluster


def _register_member_clusters(backend, group):
    for node_group in group.node_groups:
        for member in node_group["node_group_members"]:
            _new_member_cluster(backend, group, member)


def _group_domain(group):
    address = group.node_groups[0].get("primary_endpoint_address", "")
    return address.split(".", 1)[1] if "." in address else "cache.amazonaws.com"


def _set_replica_count(backend, group, replicas, to_remove):
    """Grows or shrinks the only node group of a cluster-mode-disabled group."""
    if group.cluster_mode == "enabled":
        raise InvalidParameterValueException(
            "Changing the replica count of a cluster mode enabled replication group "
            "needs ReplicaConfiguration, which this emulator does not support."
        )
    if not 0 <= replicas <= 5:
        raise InvalidParameterValueException("NewReplicaCount must be between 0 and 5.")
    node_group = group.node_groups[0]
    members = node_group["node_group_members"]
    primary = members[0]
    replica_members = members[1:]
    if to_remove:
        keep = [m for m in replica_members if m["cache_cluster_id"] not in to_remove]
        replica_members = keep
    replica_members = replica_members[:replicas]
    taken = {m["cache_cluster_id"] for m in [primary] + replica_members}
    number = 2
    while len(replica_members) < replicas:
        cluster_id = f"{group.replication_group_id}-{number:03d}"
        number += 1
        if cluster_id in taken:
            continue
        member = {
            "cache_cluster_id": cluster_id,
            "cache_node_id": node_group["node_group_id"],
            "read_endpoint": {"address": f"{cluster_id}.{_group_domain(group)}", "port": group.port},
            "preferred_availability_zone": "us-east-1b",
            "current_role": "replica",
        }
        replica_members.append(member)
        taken.add(cluster_id)
        _new_member_cluster(backend, group, member)
    node_group["node_group_members"] = [primary] + replica_members
    kept = {m["cache_cluster_id"] for m in node_group["node_group_members"]}
    for cluster_id in list(group.member_clusters):
        if cluster_id not in kept:
            cluster = backend.cache_clusters.pop(cluster_id, None)
            if cluster is not None:
                backend.tagging_service.delete_all_tags_for_resource(cluster.arn)
    group.member_clusters = [m["cache_cluster_id"] for m in node_group["node_group_members"]]


def increase_replica_count(self):
    backend = self.elasticache_backend
    group = backend.describe_replication_groups(self._get_param("ReplicationGroupId"))[0]
    replicas = self._get_int_param("NewReplicaCount")
    if replicas is None or replicas <= len(group.member_clusters) - 1:
        raise InvalidParameterValueException(
            "NewReplicaCount must be greater than the current number of replicas."
        )
    _set_replica_count(backend, group, replicas, [])
    return ActionResult({"ReplicationGroup": group})


def decrease_replica_count(self):
    backend = self.elasticache_backend
    group = backend.describe_replication_groups(self._get_param("ReplicationGroupId"))[0]
    to_remove = self._get_param("ReplicasToRemove") or []
    replicas = self._get_int_param("NewReplicaCount")
    if replicas is None:
        replicas = len(group.member_clusters) - 1 - len(to_remove)
    if replicas >= len(group.member_clusters) - 1:
        raise InvalidParameterValueException(
            "NewReplicaCount must be less than the current number of replicas."
        )
    _set_replica_count(backend, group, replicas, to_remove)
    return ActionResult({"ReplicationGroup": group})


# ModifyReplicationGroup parameters moto ignores: request parameter -> attribute of the group
# and of its member clusters.
MODIFIABLE = {
    "CacheParameterGroupName": "cache_parameter_group_name",
    "SecurityGroupIds": "security_group_ids",
    "CacheSecurityGroupNames": "cache_security_group_names",
    "PreferredMaintenanceWindow": "preferred_maintenance_window",
    "NotificationTopicArn": "notification_topic_arn",
    "EngineVersion": "engine_version",
    "SnapshotWindow": "snapshot_window",
    "IpDiscovery": "ip_discovery",
    "TransitEncryptionMode": "transit_encryption_mode",
}


def _wrap_modify_replication_group(original):
    def modify_replication_group(self):
        backend = self.elasticache_backend
        group_id = self._get_param("ReplicationGroupId")
        name = self._get_param("CacheParameterGroupName")
        if name:
            _group(backend, name)
        result = original(self)
        group = backend.describe_replication_groups(group_id)[0]
        members = [backend.cache_clusters[c] for c in group.member_clusters if c in backend.cache_clusters]
        for param, attribute in MODIFIABLE.items():
            value = self._get_param(param)
            if value is None:
                continue
            setattr(group, attribute, value)
            if attribute == "engine_version":
                value = _full_engine_version(group.engine, value)
            for cluster in members:
                setattr(cluster, attribute, value)
        for param, attribute in (
            ("AutoMinorVersionUpgrade", "auto_minor_version_upgrade"),
            ("TransitEncryptionEnabled", "transit_encryption_enabled"),
        ):
            value = self._get_bool_param(param)
            if value is not None:
                setattr(group, attribute, value)
                for cluster in members:
                    setattr(cluster, attribute, value)
        node_type = self._get_param("CacheNodeType")
        if node_type:
            for cluster in members:
                cluster.cache_node_type = node_type
        return result

    return modify_replication_group


def _patch_backend():
    cls = models.ElastiCacheBackend
    original_init = cls.__init__
    original_create = cls.create_replication_group
    original_describe_clusters = cls.describe_cache_clusters

    def __init__(self, region_name, account_id):
        original_init(self, region_name, account_id)
        self.arn_regex = re_compile(
            r"^arn:aws:elasticache:.*:[0-9]*:"
            r"(cluster|snapshot|subnetgroup|replicationgroup|user|parametergroup):.*$"
        )

    def create_replication_group(self, **kwargs):
        name = kwargs.get("cache_parameter_group_name")
        if name:
            _group(self, name)
        num_cache_clusters = kwargs.get("num_cache_clusters")
        if (
            kwargs.get("cluster_mode") in (None, "disabled")
            and not kwargs.get("num_node_groups")
            and num_cache_clusters
            and not kwargs.get("replicas_per_node_group")
        ):
            if not 1 <= num_cache_clusters <= 6:
                raise InvalidParameterValueException(
                    "The number of cache clusters must be between 1 and 6."
                )
            kwargs["replicas_per_node_group"] = num_cache_clusters - 1
        group = original_create(self, **kwargs)
        for node_group in group.node_groups:
            if "reader_endpoint_address" in node_group:
                node_group["reader_endpoint"] = {
                    "address": node_group["reader_endpoint_address"],
                    "port": group.port,
                }
        group.auto_minor_version_upgrade = (
            kwargs.get("auto_minor_version_upgrade")
            if kwargs.get("auto_minor_version_upgrade") is not None
            else True
        )
        if isinstance(group.auto_minor_version_upgrade, str):
            group.auto_minor_version_upgrade = group.auto_minor_version_upgrade.lower() == "true"
        if group.primary_cluster_id is None and group.member_clusters:
            group.primary_cluster_id = group.member_clusters[0]
        if group.preferred_maintenance_window is None:
            group.preferred_maintenance_window = "sun:05:00-sun:06:00"
        _register_member_clusters(self, group)
        return group

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        group = self.replication_groups.get(replication_group_id)
        if group is None:
            raise ReplicationGroupNotFound(replication_group_id)
        group.status = "deleting"
        primary = group.member_clusters[0] if group.member_clusters else None
        for cluster_id in list(group.member_clusters):
            if retain_primary_cluster and cluster_id == primary:
                cluster = self.cache_clusters.get(cluster_id)
                if cluster is not None:
                    cluster.replication_group_id = None
                continue
            cluster = self.cache_clusters.pop(cluster_id, None)
            if cluster is not None:
                self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        del self.replication_groups[replication_group_id]
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    def delete_cache_cluster(self, cache_cluster_id):
        cluster = self.cache_clusters.get(cache_cluster_id) if cache_cluster_id else None
        if cluster is None:
            raise CacheClusterNotFound(cache_cluster_id)
        if getattr(cluster, "replication_group_id", None):
            raise InvalidParameterValueException(
                f"Cache cluster {cache_cluster_id} is a member of replication group "
                f"{cluster.replication_group_id} and can not be deleted directly."
            )
        cluster.cache_cluster_status = "deleting"
        del self.cache_clusters[cache_cluster_id]
        self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        return cluster

    def describe_cache_clusters(self, cache_cluster_id=None, show_cache_node_info=False):
        clusters = original_describe_clusters(self, cache_cluster_id=cache_cluster_id)
        for cluster in clusters:
            cluster._show_cache_node_info = bool(show_cache_node_info)
        return clusters

    cls.__init__ = __init__
    cls.create_replication_group = create_replication_group
    cls.delete_replication_group = delete_replication_group
    cls.delete_cache_cluster = delete_cache_cluster
    cls.describe_cache_clusters = describe_cache_clusters


class CacheSubnetGroupInUse(ElastiCacheException):
    code = "CacheSubnetGroupInUse"

    def __init__(self, name):
        super().__init__(f"Cache subnet group {name} is currently in use by a cache cluster.")


def delete_cache_subnet_group(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheSubnetGroupName")
    group = backend.describe_cache_subnet_groups(cache_subnet_group_name=name)[0]
    for cluster in backend.cache_clusters.values():
        if cluster.cache_subnet_group_name == name:
            raise CacheSubnetGroupInUse(name)
    del backend.cache_subnet_groups[name]
    backend.tagging_service.delete_all_tags_for_resource(group.arn)
    return EmptyResult()


def modify_cache_subnet_group(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheSubnetGroupName")
    old = backend.describe_cache_subnet_groups(cache_subnet_group_name=name)[0]
    description = self._get_param("CacheSubnetGroupDescription")
    subnet_ids = self._get_param("SubnetIds") or old.subnet_ids
    group = models.CacheSubnetGroup(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_subnet_group_name=name,
        cache_subnet_group_description=description
        if description is not None
        else old.cache_subnet_group_description,
        subnet_ids=subnet_ids,
        tags=old.tags,
    )
    backend.cache_subnet_groups[name] = group
    return ActionResult({"CacheSubnetGroup": group})


def describe_cache_clusters_response(self):
    clusters = self.elasticache_backend.describe_cache_clusters(
        cache_cluster_id=self._get_param("CacheClusterId"),
        show_cache_node_info=self._get_bool_param("ShowCacheNodeInfo", False),
    )
    return PaginatedResult({"CacheClusters": clusters})


def apply():
    _patch_cache_cluster_class()
    _patch_backend()
    for handler in (
        create_cache_parameter_group,
        describe_cache_parameter_groups,
        describe_cache_parameters,
        describe_engine_default_parameters,
        modify_cache_parameter_group,
        reset_cache_parameter_group,
        delete_cache_parameter_group,
        delete_cache_subnet_group,
        modify_cache_subnet_group,
    ):
        setattr(ElastiCacheResponse, handler.__name__, handler)
    ElastiCacheResponse.describe_cache_clusters = describe_cache_clusters_response
    ElastiCacheResponse.increase_replica_count = increase_replica_count
    ElastiCacheResponse.decrease_replica_count = decrease_replica_count
    ElastiCacheResponse.modify_replication_group = _wrap_modify_replication_group(
        ElastiCacheResponse.modify_replication_group
    )
