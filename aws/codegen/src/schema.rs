//! The serde model of `terraform providers schema -json`, restricted to what oxiform reads.
//!
//! Maps are `BTreeMap`s, so a schema written back (the trimmed schema) is sorted the same way
//! whatever serde_json features the build enables. Attribute and block keys are listed
//! exhaustively (`deny_unknown_fields`): a key a future Terraform adds fails loudly instead of
//! being dropped from the trimmed schema.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The whole document: `{"format_version": "1.0", "provider_schemas": {…}}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SchemaFile {
    /// Version of the JSON format.
    pub format_version: String,
    /// Provider source address (`registry.terraform.io/hashicorp/aws`) → its schema.
    pub provider_schemas: BTreeMap<String, ProviderSchema>,
}

/// The schema of one provider.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProviderSchema {
    /// The provider configuration block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<TypeSchema>,
    /// Ephemeral resource types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ephemeral_resource_schemas: BTreeMap<String, TypeSchema>,
    /// Provider functions (kept opaque).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, serde_json::Value>,
    /// Managed resource types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resource_schemas: BTreeMap<String, TypeSchema>,
    /// Data source types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data_source_schemas: BTreeMap<String, TypeSchema>,
}

/// One resource or data source type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSchema {
    /// Schema version of the type.
    pub version: u64,
    /// Its body (absent from a provider configuration without arguments, as the built-in
    /// provider's).
    #[serde(default)]
    pub block: Block,
}

/// A block body: attributes and nested block types.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Attributes by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block types by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub block_types: BTreeMap<String, NestedBlock>,
    /// Description text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `plain` or `markdown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_kind: Option<String>,
    /// Deprecated by the provider.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// One attribute.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// The value type (absent for attributes with `nested_type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<CtyType>,
    /// Nested attribute type of plugin-framework providers; generated as free-form JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested_type: Option<NestedType>,
    /// Description text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `plain` or `markdown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_kind: Option<String>,
    /// Must be set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// May be set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// The provider computes it (when not set).
    #[serde(default, skip_serializing_if = "is_false")]
    pub computed: bool,
    /// Hidden in plan output.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// Deprecated by the provider.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Never stored in state.
    #[serde(default, skip_serializing_if = "is_false")]
    pub write_only: bool,
}

/// A plugin-framework nested attribute type (kept opaque).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct NestedType {
    /// Attributes of the nested object.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// `single`, `list`, `set` or `map`.
    pub nesting_mode: String,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NestedBlock {
    /// `single`, `list`, `set`, `map` or `group`.
    pub nesting_mode: String,
    /// The body of each block.
    pub block: Block,
    /// Minimum number of blocks (≥ 1: the block is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Maximum number of blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A Terraform (cty) type as written in the schema JSON: `"string"`, `["list", T]`, …
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CtyType {
    /// `string`, `number`, `bool` or `dynamic`.
    Primitive(String),
    /// `["list", T]`
    List(Box<CtyType>),
    /// `["set", T]`
    Set(Box<CtyType>),
    /// `["map", T]`
    Map(Box<CtyType>),
    /// `["object", {…}]` or `["object", {…}, [optional attribute names]]`
    Object(BTreeMap<String, CtyType>, Option<Vec<String>>),
    /// `["tuple", [T…]]`
    Tuple(Vec<CtyType>),
}

impl CtyType {
    fn from_json(v: &serde_json::Value) -> Result<Self, String> {
        use serde_json::Value as J;
        match v {
            J::String(p) => match p.as_str() {
                "string" | "number" | "bool" | "dynamic" => Ok(CtyType::Primitive(p.clone())),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            J::Array(items) => {
                let kind = items.first().and_then(J::as_str).unwrap_or_default();
                let arg = items
                    .get(1)
                    .ok_or_else(|| format!("type {v} has no element type"))?;
                match kind {
                    "list" => Ok(CtyType::List(Box::new(Self::from_json(arg)?))),
                    "set" => Ok(CtyType::Set(Box::new(Self::from_json(arg)?))),
                    "map" => Ok(CtyType::Map(Box::new(Self::from_json(arg)?))),
                    "object" => {
                        let fields = arg
                            .as_object()
                            .ok_or_else(|| format!("object type {v} has no attribute map"))?
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Self::from_json(t)?)))
                            .collect::<Result<BTreeMap<_, _>, String>>()?;
                        let optional = match items.get(2) {
                            None => None,
                            Some(J::Array(names)) => Some(
                                names
                                    .iter()
                                    .map(|n| {
                                        n.as_str()
                                            .map(str::to_owned)
                                            .ok_or_else(|| format!("bad optional list in {v}"))
                                    })
                                    .collect::<Result<Vec<_>, String>>()?,
                            ),
                            Some(_) => return Err(format!("bad optional list in {v}")),
                        };
                        Ok(CtyType::Object(fields, optional))
                    }
                    "tuple" => Ok(CtyType::Tuple(
                        arg.as_array()
                            .ok_or_else(|| format!("tuple type {v} has no element list"))?
                            .iter()
                            .map(Self::from_json)
                            .collect::<Result<Vec<_>, String>>()?,
                    )),
                    other => Err(format!("unknown type constructor {other:?} in {v}")),
                }
            }
            other => Err(format!("unexpected type {other}")),
        }
    }
}

impl<'de> Deserialize<'de> for CtyType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        CtyType::from_json(&v).map_err(D::Error::custom)
    }
}

impl Serialize for CtyType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a BTreeMap<String, CtyType>);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
        match self {
            CtyType::Primitive(p) => s.serialize_str(p),
            CtyType::List(t) | CtyType::Set(t) | CtyType::Map(t) => {
                let kind = match self {
                    CtyType::List(_) => "list",
                    CtyType::Set(_) => "set",
                    _ => "map",
                };
                let mut seq = s.serialize_seq(Some(2))?;
                seq.serialize_element(kind)?;
                seq.serialize_element(t)?;
                seq.end()
            }
            CtyType::Object(fields, optional) => {
                let mut seq = s.serialize_seq(Some(if optional.is_some() { 3 } else { 2 }))?;
                seq.serialize_element("object")?;
                seq.serialize_element(&Fields(fields))?;
                if let Some(names) = optional {
                    seq.serialize_element(names)?;
                }
                seq.end()
            }
            CtyType::Tuple(items) => {
                let mut seq = s.serialize_seq(Some(2))?;
                seq.serialize_element("tuple")?;
                seq.serialize_element(items)?;
                seq.end()
            }
        }
    }
}
