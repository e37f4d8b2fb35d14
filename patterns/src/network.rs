//! A VPC with private subnets in two availability zones: home of the cache, the router
//! function and the interface VPC endpoints. No internet gateway or NAT: the router reaches
//! SageMaker and Bedrock through VPC endpoints.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_patterns::network::PrivateNetwork;
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .add(&mut stack, "main");
//! assert_eq!(net.subnets.len(), 2);
//! ```

use oxiform_aws::meta::{DataAvailabilityZones, DataRegion};
use oxiform_aws::vpc::{
    SecurityGroup, Subnet, Vpc, VpcEndpoint, VpcSecurityGroupIngressRule,
    VpcSecurityGroupIngressRuleArgs,
};
use oxiform_core::stack::Stack;
use oxiform_core::value::{Expr, List, Value};
use oxiform_core::Handle;

/// The VPC and its private subnets.
#[must_use = "call `.add(&mut stack, name)`"]
#[derive(Debug, Clone)]
pub struct PrivateNetwork {
    name_prefix: String,
    cidr: String,
    subnet_cidrs: Vec<String>,
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
    region: Handle<DataRegion>,
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

    /// Adds an interface VPC endpoint with private DNS for each AWS service (`sagemaker.runtime`,
    /// `bedrock-runtime`, `ecr.api`, …), so that workloads in the private subnets reach
    /// those APIs without a NAT gateway. The resource name is the service with `.`/`-`
    /// turned into `_`.
    #[track_caller]
    pub fn interface_endpoints(
        &self,
        stack: &mut Stack,
        services: &[&str],
    ) -> Vec<Handle<VpcEndpoint>> {
        services
            .iter()
            .map(|service| {
                stack.add(
                    &service.replace(['.', '-'], "_"),
                    VpcEndpoint::new(self.vpc.id())
                        .service_name(oxiform_core::template!(
                            "com.amazonaws.{}.{}",
                            self.region.name(),
                            *service
                        ))
                        .vpc_endpoint_type("Interface")
                        .private_dns_enabled(true)
                        .subnet_ids(self.subnet_ids())
                        .security_group_id(self.endpoint_security_group.id()),
                )
            })
            .collect()
    }

    /// Adds the S3 gateway endpoint (free; container image layers live in S3) on the VPC's
    /// main route table, which the private subnets use.
    #[track_caller]
    pub fn s3_gateway_endpoint(&self, stack: &mut Stack) -> Handle<VpcEndpoint> {
        stack.add(
            "s3",
            VpcEndpoint::new(self.vpc.id())
                .service_name(oxiform_core::template!(
                    "com.amazonaws.{}.s3",
                    self.region.name()
                ))
                .vpc_endpoint_type("Gateway")
                .route_table_id(self.vpc.main_route_table_id()),
        )
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
        }
    }
    /// Adds the VPC (DNS on, for private endpoint names), the subnets, and the
    /// availability-zone lookup.
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
        let subnets = self
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
        NetworkHandles {
            vpc,
            subnets,
            cidr: self.cidr,
            endpoint_security_group,
            region,
        }
    }
}
