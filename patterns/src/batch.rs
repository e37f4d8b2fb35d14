//! Batch inference, two ways — what the article wanted from "spot" and from its
//! non-existent `aws_sagemaker_transform_job`:
//!
//! * [`SpotBatchInference`]: AWS Batch on a `SPOT` compute environment of GPU instances
//!   (real spot capacity: SageMaker endpoints and batch transform have none), a job queue, a
//!   job definition that retries when spot capacity is reclaimed, and an EventBridge
//!   Scheduler schedule that submits the job weekly.
//! * [`ScheduledBatchTransform`]: a Step Functions state machine running
//!   `sagemaker:createTransformJob.sync` (S3 in → S3 out, a unique job name per run), started
//!   by a Scheduler schedule. The AWS provider has no `aws_sagemaker_transform_job`: a
//!   transform job is a run, not a resource.
//!
//! ```
//! use oxiform_core::prelude::*;
//! use oxiform_aws::s3::S3Bucket;
//! use oxiform_patterns::batch::{ScheduledBatchTransform, SpotBatchInference, BATCH_ENDPOINT_SERVICES};
//! use oxiform_patterns::network::PrivateNetwork;
//! use oxiform_schedules::Schedule;
//!
//! let mut stack = Stack::new("demo");
//! let net = PrivateNetwork::new("demo", "10.0.0.0/16", &["10.0.1.0/24", "10.0.2.0/24"])
//!     .interface_endpoints(BATCH_ENDPOINT_SERVICES)
//!     .s3_gateway_endpoint()
//!     .add(&mut stack, "main");
//! let data = stack.add("data", S3Bucket::new().bucket("demo-batch-data"));
//! let weekly = Schedule::parse("cron(0 2 ? * SUN *)").unwrap();
//! SpotBatchInference::new("demo", "123456789012.dkr.ecr.us-east-1.amazonaws.com/infer:1", weekly.clone())
//!     .instance_types(["g5.xlarge", "g5.2xlarge"])
//!     .data_bucket(data.arn())
//!     .add(&mut stack, "spot", &net.values());
//! let model: Expr<String> = Expr::raw("aws_sagemaker_model.large.name");
//! ScheduledBatchTransform::new("demo", weekly, "ml.g5.xlarge")
//!     .add(&mut stack, "transform", model, (data.bucket(), data.arn()));
//! assert!(stack.synth().is_ok());
//! ```

use crate::iam::{attach_aws_managed, inline_policy, service_role};
use crate::network::{quoted, NetworkValues, S3_GATEWAY};
use oxiform_aws::batch::batch_compute_environment::{
    ComputeResources, ComputeResourcesArgs, Ec2Configuration,
};
use oxiform_aws::batch::batch_job_definition::{EvaluateOnExit, RetryStrategy, Timeout};
use oxiform_aws::batch::batch_job_queue::{ComputeEnvironmentOrder, ComputeEnvironmentOrderArgs};
use oxiform_aws::batch::{
    BatchComputeEnvironment, BatchJobDefinition, BatchJobDefinitionArgs, BatchJobQueue,
    BatchJobQueueArgs,
};
use oxiform_aws::iam::IamInstanceProfile;
use oxiform_aws::iam_policy::{actions, PolicyDocument, Statement};
use oxiform_aws::meta::{DataPartition, DataRegion};
use oxiform_aws::scheduler::scheduler_schedule::{FlexibleTimeWindow, Target, TargetArgs};
use oxiform_aws::scheduler::{SchedulerSchedule, SchedulerScheduleArgs};
use oxiform_aws::sfn::{SfnStateMachine, SfnStateMachineArgs};
use oxiform_aws::sts::DataCallerIdentity;
use oxiform_aws::vpc::{SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupEgressRuleArgs};
use oxiform_core::json_template::JsonTemplate;
use oxiform_core::stack::Stack;
use oxiform_core::value::Expr;
use oxiform_core::{template, Handle};
use oxiform_schedules::{Schedule, TimeZone};

/// The AWS services a Batch GPU instance in a private subnet must reach: ECS to register
/// and receive jobs, ECR for the image, CloudWatch Logs for job output. The network must
/// have an interface endpoint for each ([`crate::network::PrivateNetwork::interface_endpoints`])
/// and the S3 gateway endpoint ([`crate::network::PrivateNetwork::s3_gateway_endpoint`]),
/// where the image layers are.
pub const BATCH_ENDPOINT_SERVICES: &[&str] = &[
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "logs",
];

/// Weekly batch inference on spot GPU capacity with AWS Batch.
#[must_use = "call `.add(&mut stack, name, &network)`"]
#[derive(Debug, Clone)]
pub struct SpotBatchInference {
    prefix: String,
    image: String,
    instance_types: Vec<String>,
    max_vcpus: u32,
    job_vcpus: u32,
    job_memory_mib: u32,
    job_gpus: u32,
    job_timeout_seconds: u32,
    schedule: Schedule,
    timezone: Option<TimeZone>,
    data_bucket_arn: Option<Expr<String>>,
}

/// How long one attempt of a batch job may run by default: 4 hours. Batch stops an attempt
/// that runs longer, so a hung job cannot hold spot GPUs all week, and `cost` prices the
/// ceiling of the scheduled runs from it.
pub const DEFAULT_JOB_TIMEOUT_SECONDS: u32 = 4 * 3600;

/// Attempts of a job whose spot instance was reclaimed (the first run and two retries).
pub const JOB_ATTEMPTS: i64 = 3;

/// What [`SpotBatchInference::add`] created.
#[derive(Debug, Clone)]
pub struct SpotBatchHandles {
    /// The SPOT compute environment.
    pub compute_environment: Handle<BatchComputeEnvironment>,
    /// The job queue.
    pub queue: Handle<BatchJobQueue>,
    /// The job definition.
    pub job_definition: Handle<BatchJobDefinition>,
    /// The weekly schedule.
    pub schedule: Handle<SchedulerSchedule>,
}

impl SpotBatchInference {
    /// Batch inference named `prefix-…` running `image`, submitted on `schedule`.
    pub fn new(prefix: &str, image: &str, schedule: Schedule) -> Self {
        SpotBatchInference {
            prefix: prefix.to_owned(),
            image: image.to_owned(),
            instance_types: vec!["g5.xlarge".to_owned()],
            max_vcpus: 64,
            job_vcpus: 4,
            job_memory_mib: 15000,
            job_gpus: 1,
            job_timeout_seconds: DEFAULT_JOB_TIMEOUT_SECONDS,
            schedule,
            timezone: None,
            data_bucket_arn: None,
        }
    }
    /// GPU instance types Batch may launch (more types: more spot pools to pick from).
    pub fn instance_types<S: Into<String>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.instance_types = types.into_iter().map(Into::into).collect();
        self
    }
    /// The compute environment's ceiling in vCPUs (it scales to zero between runs).
    pub fn max_vcpus(mut self, vcpus: u32) -> Self {
        self.max_vcpus = vcpus;
        self
    }
    /// Resources of one job.
    pub fn job_resources(mut self, vcpus: u32, memory_mib: u32, gpus: u32) -> Self {
        self.job_vcpus = vcpus;
        self.job_memory_mib = memory_mib;
        self.job_gpus = gpus;
        self
    }
    /// How long one attempt of the job may run before Batch stops it (the job definition's
    /// `timeout.attempt_duration_seconds`; default [`DEFAULT_JOB_TIMEOUT_SECONDS`]). `cost`
    /// prices the ceiling of the scheduled runs as every attempt running this long.
    pub fn job_timeout_seconds(mut self, seconds: u32) -> Self {
        self.job_timeout_seconds = seconds;
        self
    }
    /// Reads the schedule in `zone`.
    pub fn timezone(mut self, zone: TimeZone) -> Self {
        self.timezone = Some(zone);
        self
    }
    /// The bucket the job reads prompts from and writes answers to.
    pub fn data_bucket(mut self, bucket_arn: Expr<String>) -> Self {
        self.data_bucket_arn = Some(bucket_arn);
        self
    }

    /// Adds the IAM (instance role and profile, job role, scheduler role), security group,
    /// compute environment, queue, job definition and schedule. A network without the
    /// [`BATCH_ENDPOINT_SERVICES`] endpoints and the S3 gateway endpoint is reported at synth.
    #[track_caller]
    pub fn add(self, stack: &mut Stack, name: &str, network: &NetworkValues) -> SpotBatchHandles {
        let site = std::panic::Location::caller();
        let p = self.prefix.as_str();

        // Instances: the ECS agent's managed policy, through an instance profile.
        let instance_role = service_role(
            stack,
            &format!("{name}_instance"),
            "ec2.amazonaws.com",
            format!("{p}-batch-instance"),
        );
        attach_aws_managed(
            stack,
            &format!("{name}_instance_ecs"),
            &instance_role,
            "service-role/AmazonEC2ContainerServiceforEC2Role",
        );
        let profile = stack.add(
            &format!("{name}_instance"),
            IamInstanceProfile::new()
                .name(format!("{p}-batch-instance"))
                .role(instance_role.name()),
        );

        // The job's own role: read prompts, write answers, nothing else.
        let job_role = service_role(
            stack,
            &format!("{name}_job"),
            "ecs-tasks.amazonaws.com",
            format!("{p}-batch-job"),
        );
        if let Some(bucket) = &self.data_bucket_arn {
            let policy = batch_data_access(PolicyDocument::new(), bucket);
            inline_policy(
                stack,
                &format!("{name}_job_data"),
                &job_role,
                "batch-data",
                &policy,
            );
        }

        let security_group = stack.add(
            &format!("{name}_batch"),
            SecurityGroup::new()
                .name(format!("{p}-batch"))
                .description("Spot GPU batch instances")
                .vpc_id(network.vpc_id.clone()),
        );
        // Only HTTPS out, and with no NAT it can only reach the VPC endpoints and S3.
        stack.add(
            &format!("{name}_batch_https"),
            VpcSecurityGroupEgressRule::new(VpcSecurityGroupEgressRuleArgs {
                ip_protocol: "tcp".into(),
                security_group_id: security_group.id().into(),
            })
            .from_port(443)
            .to_port(443)
            .cidr_ipv4("0.0.0.0/0")
            .description("HTTPS to AWS APIs through the VPC endpoints"),
        );

        let mut resources = ComputeResources::new(ComputeResourcesArgs {
            max_vcpus: i64::from(self.max_vcpus).into(),
            subnets: network.subnet_ids.clone(),
            type_: "SPOT".into(),
        })
        // Price-capacity-optimised: the pools least likely to be interrupted, at a low
        // price; no spot fleet role needed (unlike BEST_FIT).
        .allocation_strategy("SPOT_PRICE_CAPACITY_OPTIMIZED")
        .min_vcpus(0)
        .instance_role(profile.arn())
        .security_group_id(security_group.id())
        .ec2_configuration(Ec2Configuration::new().image_type("ECS_AL2_NVIDIA"))
        .tag("Name", format!("{p}-batch"));
        resources = resources.instance_type(self.instance_types.clone());
        // No service_role: Batch then uses its service-linked role, as AWS recommends.
        let compute_environment = stack.add(
            name,
            BatchComputeEnvironment::new("MANAGED")
                .compute_environment_name(format!("{p}-spot-gpu"))
                .state("ENABLED")
                .compute_resources(resources),
        );
        let mut needed = BATCH_ENDPOINT_SERVICES.to_vec();
        needed.push(S3_GATEWAY);
        let missing = network.missing_endpoints(&needed);
        if !missing.is_empty() {
            stack.report(
                &compute_environment.address().to_string(),
                "compute_resources",
                format!(
                    "runs instances in a VPC without a VPC endpoint for {}: with no NAT gateway \
                     they cannot register with ECS or pull their image",
                    quoted(&missing)
                ),
                "give the network the batch endpoints: `PrivateNetwork::new(..)\
                 .interface_endpoints(batch::BATCH_ENDPOINT_SERVICES).s3_gateway_endpoint()`",
                site,
            );
        }
        let queue = stack.add(
            name,
            BatchJobQueue::new(BatchJobQueueArgs {
                name: format!("{p}-batch-inference").into(),
                priority: 1.into(),
                state: "ENABLED".into(),
            })
            .compute_environment_order(ComputeEnvironmentOrder::new(
                ComputeEnvironmentOrderArgs {
                    compute_environment: compute_environment.arn().into(),
                    order: 1.into(),
                },
            )),
        );
        let container = JsonTemplate::object([
            ("image", JsonTemplate::from(self.image.as_str())),
            (
                "command",
                JsonTemplate::array([
                    "python3",
                    "-m",
                    "batch_infer",
                    "--input",
                    "Ref::input",
                    "--output",
                    "Ref::output",
                ]),
            ),
            ("jobRoleArn", job_role.arn().into()),
            (
                "resourceRequirements",
                JsonTemplate::array([
                    requirement("VCPU", self.job_vcpus),
                    requirement("MEMORY", self.job_memory_mib),
                    requirement("GPU", self.job_gpus),
                ]),
            ),
        ]);
        let job_definition = stack.add(
            name,
            BatchJobDefinition::new(BatchJobDefinitionArgs {
                name: format!("{p}-batch-inference").into(),
                type_: "container".into(),
            })
            .container_properties(container.to_value())
            .parameter("input", "batch/input/")
            .parameter("output", "batch/output/")
            .platform_capability("EC2")
            // A bound on each attempt: a hung job stops instead of holding GPUs.
            .timeout(Timeout::new().attempt_duration_seconds(i64::from(self.job_timeout_seconds)))
            // Spot instances can be reclaimed: retry those jobs, fail real errors at once.
            .retry_strategy(
                RetryStrategy::new()
                    .attempts(JOB_ATTEMPTS)
                    .evaluate_on_exit(EvaluateOnExit::new("RETRY").on_status_reason("Host EC2*"))
                    .evaluate_on_exit(EvaluateOnExit::new("EXIT").on_reason("*")),
            ),
        );

        let scheduler_role = service_role(
            stack,
            &format!("{name}_scheduler"),
            "scheduler.amazonaws.com",
            format!("{p}-batch-scheduler"),
        );
        inline_policy(
            stack,
            &format!("{name}_scheduler_submit"),
            &scheduler_role,
            "submit-batch-job",
            &PolicyDocument::new().statement(
                Statement::allow([actions::batch::SUBMIT_JOB])
                    .resource(queue.arn())
                    .resource(template!("{}:*", job_definition.arn_prefix())),
            ),
        );
        let input = JsonTemplate::object([
            ("JobName", JsonTemplate::from(format!("{p}-weekly-batch"))),
            ("JobQueue", queue.arn().into()),
            ("JobDefinition", job_definition.arn().into()),
        ]);
        let mut schedule = SchedulerSchedule::new(SchedulerScheduleArgs {
            flexible_time_window: FlexibleTimeWindow::new("FLEXIBLE").maximum_window_in_minutes(60),
            schedule_expression: self.schedule.to_string().into(),
            target: Target::new(TargetArgs {
                // Scheduler's universal target for Batch's SubmitJob, in the stack's partition.
                arn: template!(
                    "arn:{}:scheduler:::aws-sdk:batch:submitJob",
                    stack
                        .add_shared("current", DataPartition::new())
                        .partition()
                )
                .into(),
                role_arn: scheduler_role.arn().into(),
            })
            .input(input.to_value()),
        })
        .name(format!("{p}-weekly-batch-inference"))
        .description("Weekly batch inference on spot GPU capacity");
        if let Some(zone) = &self.timezone {
            schedule = schedule.schedule_expression_timezone(zone.to_string());
        }
        let schedule = stack.add(name, schedule);
        SpotBatchHandles {
            compute_environment,
            queue,
            job_definition,
            schedule,
        }
    }
}

/// Adds to `policy` what a batch run needs of its data bucket and no more: list it, read
/// `batch/input/`, write `batch/output/`.
fn batch_data_access(policy: PolicyDocument, bucket_arn: &Expr<String>) -> PolicyDocument {
    policy
        .statement(Statement::allow([actions::s3::LIST_BUCKET]).resource(bucket_arn))
        .statement(
            Statement::allow([actions::s3::GET_OBJECT])
                .resource(template!("{}/batch/input/*", bucket_arn)),
        )
        .statement(
            Statement::allow([actions::s3::PUT_OBJECT])
                .resource(template!("{}/batch/output/*", bucket_arn)),
        )
}

fn requirement(kind: &str, value: u32) -> JsonTemplate {
    JsonTemplate::object([("type", kind.to_owned()), ("value", value.to_string())])
}

/// A scheduled SageMaker batch transform: Step Functions runs the job to completion.
#[must_use = "call `.add(&mut stack, name, model)`"]
#[derive(Debug, Clone)]
pub struct ScheduledBatchTransform {
    prefix: String,
    schedule: Schedule,
    timezone: Option<TimeZone>,
    instance_type: String,
    instance_count: u32,
}

/// What [`ScheduledBatchTransform::add`] created.
#[derive(Debug, Clone)]
pub struct BatchTransformHandles {
    /// The state machine.
    pub state_machine: Handle<SfnStateMachine>,
    /// The schedule that starts it.
    pub schedule: Handle<SchedulerSchedule>,
}

impl ScheduledBatchTransform {
    /// A transform named `prefix-…` on `schedule`, one `instance_type` instance.
    pub fn new(prefix: &str, schedule: Schedule, instance_type: &str) -> Self {
        ScheduledBatchTransform {
            prefix: prefix.to_owned(),
            schedule,
            timezone: None,
            instance_type: instance_type.to_owned(),
            instance_count: 1,
        }
    }
    /// Instances per transform job.
    pub fn instance_count(mut self, n: u32) -> Self {
        self.instance_count = n;
        self
    }
    /// Reads the schedule in `zone`.
    pub fn timezone(mut self, zone: TimeZone) -> Self {
        self.timezone = Some(zone);
        self
    }

    /// Adds the state machine, its role (transform jobs, the managed rule `.sync` needs, read
    /// and write of the data bucket), and the schedule with its role.
    #[track_caller]
    pub fn add(
        self,
        stack: &mut Stack,
        name: &str,
        model_name: Expr<String>,
        bucket: (Expr<String>, Expr<String>),
    ) -> BatchTransformHandles {
        let (bucket_name, bucket_arn) = bucket;
        let p = self.prefix.as_str();
        let partition = stack.add_shared("current", DataPartition::new());
        let me = stack.add_shared("current", DataCallerIdentity::new());
        let region = stack.add_shared("current", DataRegion::new()).name();

        let definition = JsonTemplate::object([
            (
                "Comment",
                JsonTemplate::from(
                    "Weekly batch inference: SageMaker batch transform, S3 in → S3 out",
                ),
            ),
            ("StartAt", "Transform".into()),
            (
                "States",
                JsonTemplate::object([(
                    "Transform",
                    JsonTemplate::object([
                        ("Type", JsonTemplate::from("Task")),
                        (
                            "Resource",
                            template!(
                                "arn:{}:states:::sagemaker:createTransformJob.sync",
                                partition.partition()
                            )
                            .into(),
                        ),
                        (
                            "Parameters",
                            JsonTemplate::object([
                                // A unique job name per run: the execution's name is unique.
                                (
                                    "TransformJobName.$",
                                    JsonTemplate::from(format!(
                                        "States.Format('{p}-batch-{{}}', $$.Execution.Name)"
                                    )),
                                ),
                                ("ModelName", model_name.into()),
                                (
                                    "TransformInput",
                                    JsonTemplate::object([
                                        (
                                            "DataSource",
                                            JsonTemplate::object([(
                                                "S3DataSource",
                                                JsonTemplate::object([
                                                    ("S3DataType", JsonTemplate::from("S3Prefix")),
                                                    (
                                                        "S3Uri",
                                                        template!(
                                                            "s3://{}/batch/input/",
                                                            &bucket_name
                                                        )
                                                        .into(),
                                                    ),
                                                ]),
                                            )]),
                                        ),
                                        ("ContentType", "application/jsonlines".into()),
                                        ("SplitType", "Line".into()),
                                    ]),
                                ),
                                (
                                    "TransformOutput",
                                    JsonTemplate::object([
                                        (
                                            "S3OutputPath",
                                            template!("s3://{}/batch/output/", &bucket_name).into(),
                                        ),
                                        ("AssembleWith", JsonTemplate::from("Line")),
                                    ]),
                                ),
                                (
                                    "TransformResources",
                                    JsonTemplate::object([
                                        (
                                            "InstanceType",
                                            JsonTemplate::from(self.instance_type.as_str()),
                                        ),
                                        ("InstanceCount", i64::from(self.instance_count).into()),
                                    ]),
                                ),
                            ]),
                        ),
                        ("End", true.into()),
                    ]),
                )]),
            ),
        ]);

        let role = service_role(
            stack,
            &format!("{name}_states"),
            "states.amazonaws.com",
            format!("{p}-batch-transform"),
        );
        let policy = PolicyDocument::new()
            .statement(
                Statement::allow([
                    actions::sagemaker::CREATE_TRANSFORM_JOB,
                    actions::sagemaker::DESCRIBE_TRANSFORM_JOB,
                    actions::sagemaker::STOP_TRANSFORM_JOB,
                    actions::sagemaker::ADD_TAGS,
                ])
                .resource(template!(
                    "arn:{}:sagemaker:{}:{}:transform-job/{}-batch-*",
                    partition.partition(),
                    region.clone(),
                    me.account_id(),
                    p
                )),
            )
            // `.sync` waits on a rule Step Functions manages for SageMaker transform jobs.
            .statement(
                Statement::allow([
                    actions::events::PUT_TARGETS,
                    actions::events::PUT_RULE,
                    actions::events::DESCRIBE_RULE,
                ])
                .resource(template!(
                    "arn:{}:events:{}:{}:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule",
                    partition.partition(),
                    region,
                    me.account_id()
                )),
            );
        let policy = batch_data_access(policy, &bucket_arn);
        inline_policy(
            stack,
            &format!("{name}_states"),
            &role,
            "batch-transform",
            &policy,
        );
        let state_machine = stack.add(
            name,
            SfnStateMachine::new(SfnStateMachineArgs {
                definition: definition.to_value(),
                role_arn: role.arn().into(),
            })
            .name(format!("{p}-weekly-batch-transform")),
        );

        let scheduler_role = service_role(
            stack,
            &format!("{name}_scheduler"),
            "scheduler.amazonaws.com",
            format!("{p}-transform-scheduler"),
        );
        inline_policy(
            stack,
            &format!("{name}_scheduler_start"),
            &scheduler_role,
            "start-batch-transform",
            &PolicyDocument::new().statement(
                Statement::allow([actions::states::START_EXECUTION]).resource(state_machine.arn()),
            ),
        );
        let mut schedule = SchedulerSchedule::new(SchedulerScheduleArgs {
            flexible_time_window: FlexibleTimeWindow::new("OFF"),
            schedule_expression: self.schedule.to_string().into(),
            target: Target::new(TargetArgs {
                arn: state_machine.arn().into(),
                role_arn: scheduler_role.arn().into(),
            }),
        })
        .name(format!("{p}-weekly-batch-transform"))
        .description("Weekly SageMaker batch transform");
        if let Some(zone) = &self.timezone {
            schedule = schedule.schedule_expression_timezone(zone.to_string());
        }
        let schedule = stack.add(name, schedule);
        BatchTransformHandles {
            state_machine,
            schedule,
        }
    }
}
