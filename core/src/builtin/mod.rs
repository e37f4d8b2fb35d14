//! Terraform's built-in resources (provider `terraform.io/builtin/terraform`), which need
//! no provider download.

use serde::Serialize;

use crate::address::{AsNode, NodeRef, ResourceKind};
use crate::resource::{Attrs, FieldName, Meta, Resource};
use crate::value::{Json, Refs, Value};

/// `terraform_data` — stores a value in state and replaces itself when `triggers_replace`
/// changes. Its `output` attribute returns `input` after apply.
#[must_use = "a resource is emitted only after `stack.add(..)`"]
#[derive(Debug, Clone, Default, Serialize)]
pub struct TerraformData {
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<Value<Json>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    triggers_replace: Option<Value<Json>>,
    #[serde(flatten)]
    meta: Meta,
}

impl TerraformData {
    /// A `terraform_data` with no arguments.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `input`, any JSON value (strings inside are escaped as literals).
    pub fn input(mut self, v: impl Into<Value<Json>>) -> Self {
        self.input = Some(v.into());
        self
    }
    /// Sets `triggers_replace`.
    pub fn triggers_replace(mut self, v: impl Into<Value<Json>>) -> Self {
        self.triggers_replace = Some(v.into());
        self
    }
}

/// Arguments of [`TerraformData`], for `ignore_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerraformDataField {
    /// `input`
    Input,
    /// `triggers_replace`
    TriggersReplace,
}

impl FieldName for TerraformDataField {
    fn name(self) -> &'static str {
        match self {
            TerraformDataField::Input => "input",
            TerraformDataField::TriggersReplace => "triggers_replace",
        }
    }
}

impl Refs for TerraformData {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        self.input.refs(out);
        self.triggers_replace.refs(out);
    }
}

impl Resource for TerraformData {
    const TYPE: &'static str = "terraform_data";
    const KIND: ResourceKind = ResourceKind::Managed;
    type Field = TerraformDataField;
    type Attrs = TerraformDataAttrs;
    fn meta(&self) -> &Meta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
}

/// The attributes of a [`TerraformData`], reached through its `Handle`.
#[derive(Debug, Clone, Copy)]
pub struct TerraformDataAttrs(NodeRef);

impl Attrs for TerraformDataAttrs {
    fn of(node: NodeRef) -> Self {
        TerraformDataAttrs(node)
    }
}

impl AsNode for TerraformDataAttrs {
    fn as_node(&self) -> NodeRef {
        self.0
    }
}

impl TerraformDataAttrs {
    /// `output` — the value of `input` after apply.
    pub fn output(&self) -> crate::Expr<Json> {
        crate::Expr::reference(self.0, "output")
    }
    /// `id` — a unique id.
    pub fn id(&self) -> crate::Expr<String> {
        crate::Expr::reference(self.0, "id")
    }
}
