//! Which resources point at a resource: an index built once per question, so that asking it
//! for every resource of a document costs a hash lookup each instead of a scan of the
//! document (which made `cost` quadratic in the number of endpoints, scaling targets and
//! schedules).

use std::borrow::Cow;
use std::collections::HashMap;

use super::document::{references, ResourceRef};

/// Resources of one type, indexed by what one of their string arguments names: a
/// `${<type>.<name>…}` reference to a resource of the document, or a literal physical name.
pub(crate) struct Referrers<'a> {
    from: Vec<ResourceRef<'a>>,
    by_reference: HashMap<&'a str, Vec<usize>>,
    by_literal: HashMap<Cow<'a, str>, Vec<usize>>,
}

impl<'a> Referrers<'a> {
    /// Indexes `from` by the argument `text` reads from each: by every resource of `to_type`
    /// it references, and by the physical name `literal` reads from it (`None`: none; the
    /// name as [`of`](Self::of) will be asked for it, e.g. unescaped).
    pub(crate) fn new(
        from: Vec<ResourceRef<'a>>,
        to_type: &str,
        text: impl Fn(&ResourceRef<'a>) -> Option<&'a str>,
        literal: impl Fn(&'a str) -> Option<Cow<'a, str>>,
    ) -> Referrers<'a> {
        let mut by_reference: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut by_literal: HashMap<Cow<'a, str>, Vec<usize>> = HashMap::new();
        for (i, r) in from.iter().enumerate() {
            let Some(t) = text(r) else {
                continue;
            };
            for name in references(t, to_type) {
                by_reference.entry(name).or_default().push(i);
            }
            if let Some(physical) = literal(t) {
                by_literal.entry(physical).or_default().push(i);
            }
        }
        Referrers {
            from,
            by_reference,
            by_literal,
        }
    }

    /// The resources that reference the resource `name`, or name it by its physical name
    /// `physical`, in the order of the list they were indexed from.
    pub(crate) fn of(&self, name: &str, physical: Option<&str>) -> Vec<ResourceRef<'a>> {
        let by_literal = physical.and_then(|p| self.by_literal.get(p));
        let mut found: Vec<usize> = self
            .by_reference
            .get(name)
            .into_iter()
            .chain(by_literal)
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| self.from[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::document::TfDocument;

    #[test]
    fn finds_by_reference_and_by_literal_name_in_order_once() {
        let doc = TfDocument::parse(
            r#"{"resource": {"aws_sagemaker_endpoint": {
                "a": {"endpoint_config_name": "${aws_sagemaker_endpoint_configuration.c.name}"},
                "b": {"endpoint_config_name": "physical-c"},
                "d": {"endpoint_config_name": "${aws_sagemaker_endpoint_configuration.other.name}"},
                "e": {"endpoint_config_name": "${aws_sagemaker_endpoint_configuration.c.name}"}
            }}}"#,
            "test.tf.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let index = Referrers::new(
            doc.of_type("aws_sagemaker_endpoint"),
            "aws_sagemaker_endpoint_configuration",
            |e| e.get("endpoint_config_name").and_then(|v| v.as_str()),
            |raw| Some(raw.into()),
        );
        let names = |found: Vec<ResourceRef<'_>>| -> Vec<String> {
            found.iter().map(|r| r.name.to_owned()).collect()
        };
        assert_eq!(names(index.of("c", Some("physical-c"))), ["a", "b", "e"]);
        assert_eq!(names(index.of("c", None)), ["a", "e"]);
        assert_eq!(names(index.of("other", Some("nothing"))), ["d"]);
        assert!(index.of("missing", None).is_empty());
    }
}
