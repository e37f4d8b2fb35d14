//! A VPC with private subnets in two availability zones: home of the cache, the router
//! function and the interface VPC endpoints. No internet gateway or NAT: workloads reach
//! SageMaker, Bedrock, ECR, ECS and CloudWatch Logs through VPC endpoints, which belong to
//! the network (declared with [`PrivateNetwork::interface_endpoints`] and
//! [`PrivateNetwork::s3_gateway_endpoint`]), not to the workloads that use them.
//!
//! Workloads take the network as [`NetworkValues`]: from the handles when they are in the
//! same stack ([`NetworkHandles::values`]), or from another stack of an app through its
//! exports ([`NetworkValues::export`]).
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::network::PrivateNetwork;
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .interface_endpoints(&["sagemaker.runtime"])
//!     .add(&mut stack, "main");
//! assert_eq!(net.subnets.len(), 2);
//! assert!(net.values().has_endpoint("sagemaker.runtime"));
//! ```
//!
//! Across stacks: the network's stack exports its values, another stack of the app uses them.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::network::PrivateNetwork;
//!
//! let mut network = Stack::new("network");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .add(&mut network, "main")
//!     .values()
//!     .export(&mut network, "network");
//! assert_eq!(
//!     net.vpc_id.to_json_string(),
//!     "${data.terraform_remote_state.network.outputs.network_vpc_id}"
//! );
//! ```

use oxiform_aws::meta::{DataAvailabilityZones, DataRegion};
use oxiform_aws::vpc::{
    SecurityGroup, Subnet, Vpc, VpcEndpoint, VpcSecurityGroupIngressRule,
    VpcSecurityGroupIngressRuleArgs,
};
use oxiform_core::stack::{Output, Stack};
use oxiform_core::value::{Expr, List, Value};
use oxiform_core::Handle;

/// The name [`PrivateNetwork::s3_gateway_endpoint`]'s service goes by in
/// [`NetworkValues::endpoint_services`].
pub const S3_GATEWAY: &str = "s3";

/// The VPC and its private subnets.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct PrivateNetwork {
    name_prefix: String,
    cidr: String,
    subnet_cidrs: Vec<String>,
    interface_services: Vec<String>,
    s3_gateway: bool,
}

/// What [`PrivateNetwork::add`] created.
#[derive(Debug, Clone)]
pub struct NetworkHandles {
    /// The VPC.
    pub vpc: Handle<Vpc>,
    /// One private subnet per availability zone.
    pub subnets: Vec<Handle<Subnet>>,
    /// The VPC's CIDR block.
    pub cidr: String,
    /// The security group of the interface endpoints: HTTPS from inside the VPC.
    pub endpoint_security_group: Handle<SecurityGroup>,
    /// The VPC endpoints, interface endpoints first (in the order their services were
    /// given), then the S3 gateway endpoint if there is one.
    pub endpoints: Vec<Handle<VpcEndpoint>>,
    endpoint_services: Vec<String>,
    region: Handle<DataRegion>,
}

/// What a workload needs of a private network, as values: the VPC, its private subnets, its
/// CIDR block, and which AWS services it reaches through VPC endpoints. Built from the
/// handles in the network's own stack ([`NetworkHandles::values`]) or, in another stack of
/// an app, from the network stack's exports ([`NetworkValues::export`]); every pattern that
/// runs in the VPC takes this, so it works either way.
#[derive(Debug, Clone)]
pub struct NetworkValues {
    /// The VPC's id.
    pub vpc_id: Expr<String>,
    /// The private subnets' ids.
    pub subnet_ids: Value<List<String>>,
    /// The VPC's CIDR block.
    pub cidr: Value<String>,
    /// The services the network has a VPC endpoint for (`sagemaker.runtime`, …, and
    /// [`S3_GATEWAY`] for the S3 gateway endpoint): known when the program runs, so a
    /// pattern that needs one the network lacks is reported at synth, not at run time.
    pub endpoint_services: Vec<String>,
}

impl NetworkValues {
    /// Whether the network has a VPC endpoint for `service`.
    pub fn has_endpoint(&self, service: &str) -> bool {
        self.endpoint_services.iter().any(|s| s == service)
    }

    /// The services of `needed` the network has no VPC endpoint for.
    pub fn missing_endpoints<'a>(&self, needed: &[&'a str]) -> Vec<&'a str> {
        needed
            .iter()
            .copied()
            .filter(|s| !self.has_endpoint(s))
            .collect()
    }

    /// Exports the values from the network's stack for the other stacks of its app: writes
    /// the outputs `<name>_vpc_id`, `<name>_subnet_ids` and `<name>_cidr` into `stack` and
    /// returns the same values read from them (the endpoint services are carried along as
    /// they are). Use the returned values only in other stacks of the app.
    #[track_caller]
    pub fn export(&self, stack: &mut Stack, name: &str) -> NetworkValues {
        NetworkValues {
            vpc_id: stack
                .export(&format!("{name}_vpc_id"), Output::new(self.vpc_id.clone()))
                .value(),
            subnet_ids: stack
                .export(
                    &format!("{name}_subnet_ids"),
                    Output::new(self.subnet_ids.clone()),
                )
                .into(),
            cidr: stack
                .export(&format!("{name}_cidr"), Output::new(self.cidr.clone()))
                .into(),
            endpoint_services: self.endpoint_services.clone(),
        }
    }
}

impl NetworkHandles {
    /// The subnets' ids as a list value.
    pub fn subnet_ids(&self) -> Value<List<String>> {
        Value::Literal(self.subnets.iter().map(|s| s.id().into()).collect())
    }

    /// The region the stack deploys to (`data.aws_region.current`).
    pub fn region(&self) -> &Handle<DataRegion> {
        &self.region
    }

    /// The network as values, for patterns in the same stack.
    pub fn values(&self) -> NetworkValues {
        NetworkValues {
            vpc_id: self.vpc.id(),
            subnet_ids: self.subnet_ids(),
            cidr: self.cidr.as_str().into(),
            endpoint_services: self.endpoint_services.clone(),
        }
    }
}

impl PrivateNetwork {
    /// A VPC `cidr` with one private subnet per CIDR in `subnet_cidrs`, spread over the
    /// region's availability zones in order.
    pub fn new(name_prefix: &str, cidr: &str, subnet_cidrs: &[&str]) -> Self {
        PrivateNetwork {
            name_prefix: name_prefix.to_owned(),
            cidr: cidr.to_owned(),
            subnet_cidrs: subnet_cidrs.iter().map(|s| (*s).to_owned()).collect(),
            interface_services: Vec::new(),
            s3_gateway: false,
        }
    }

    /// An interface VPC endpoint with private DNS for each AWS service (`sagemaker.runtime`,
    /// `bedrock-runtime`, `ecr.api`, …), so that workloads in the private subnets reach
    /// those APIs without a NAT gateway. The resource name is the service with `.`/`-`
    /// turned into `_`; a service given twice gets one endpoint. Patterns name the services
    /// they need (`router::ENDPOINT_SERVICES`, `batch::BATCH_ENDPOINT_SERVICES`).
    pub fn interface_endpoints(mut self, services: &[&str]) -> Self {
        for service in services {
            if !self.interface_services.iter().any(|s| s == service) {
                self.interface_services.push((*service).to_owned());
            }
        }
        self
    }

    /// The S3 gateway endpoint (free; container image layers live in S3) on the VPC's main
    /// route table, which the private subnets use; named `s3`.
    pub fn s3_gateway_endpoint(mut self) -> Self {
        self.s3_gateway = true;
        self
    }

    /// Adds the VPC (DNS on, for private endpoint names), the subnets, the
    /// availability-zone lookup, the endpoints' security group and the VPC endpoints.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str) -> NetworkHandles {
        let zones = stack.add_shared("available", DataAvailabilityZones::new().state("available"));
        let region = stack.add_shared("current", DataRegion::new());
        let vpc = stack.add(
            name,
            Vpc::new()
                .cidr_block(self.cidr.as_str())
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .tag("Name", self.name_prefix.as_str()),
        );
        let subnets: Vec<Handle<Subnet>> = self
            .subnet_cidrs
            .iter()
            .enumerate()
            .map(|(i, cidr)| {
                let zone: Expr<String> = zones.names().call("element", &[&i.to_string()]);
                stack.add(
                    &format!("{name}_private_{}", i + 1),
                    Subnet::new(vpc.id())
                        .cidr_block(cidr.as_str())
                        .availability_zone(zone)
                        .tag("Name", format!("{}-private-{}", self.name_prefix, i + 1))
                        .tag("Tier", "private"),
                )
            })
            .collect();
        let endpoint_security_group = stack.add(
            &format!("{name}_endpoints"),
            SecurityGroup::new()
                .name(format!("{}-endpoints", self.name_prefix))
                .description("Interface VPC endpoints: HTTPS from inside the VPC")
                .vpc_id(vpc.id()),
        );
        stack.add(
            &format!("{name}_endpoints_https"),
            VpcSecurityGroupIngressRule::new(VpcSecurityGroupIngressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: endpoint_security_group.id().into(),
            })
            .from_port(443)
            .to_port(443)
            .cidr_ipv4(self.cidr.as_str())
            .description("HTTPS from the VPC"),
        );
        let subnet_ids: Value<List<String>> =
            Value::Literal(subnets.iter().map(|s| s.id().into()).collect());
        let mut endpoints: Vec<Handle<VpcEndpoint>> = self
            .interface_services
            .iter()
            .map(|service| {
                stack.add(
                    &service.replace(['.', '-'], "_"),
                    VpcEndpoint::new(vpc.id())
                        .service_name(oxiform_core::template!(
                            "com.amazonaws.{}.{}",
                            region.name(),
                            service.as_str()
                        ))
                        .vpc_endpoint_type("Interface")
                        .private_dns_enabled(true)
                        .subnet_ids(subnet_ids.clone())
                        .security_group_id(endpoint_security_group.id()),
                )
            })
            .collect();
        let mut endpoint_services = self.interface_services;
        if self.s3_gateway {
            endpoints.push(
                stack.add(
                    S3_GATEWAY,
                    VpcEndpoint::new(vpc.id())
                        .service_name(oxiform_core::template!(
                            "com.amazonaws.{}.s3",
                            region.name()
                        ))
                        .vpc_endpoint_type("Gateway")
                        .route_table_id(vpc.main_route_table_id()),
                ),
            );
            endpoint_services.push(S3_GATEWAY.to_owned());
        }
        NetworkHandles {
            vpc,
            subnets,
            cidr: self.cidr,
            endpoint_security_group,
            endpoints,
            endpoint_services,
            region,
        }
    }
}

/// The service names of `names` in backquotes, joined by commas, for messages.
pub(crate) fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
