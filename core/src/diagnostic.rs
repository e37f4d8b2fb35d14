//! Diagnostics as data: what is wrong, where, how bad, and how to fix it — one type that every
//! error and finding of oxiform turns into, and one renderer that prints them all.
//!
//! A [`Diagnostic`] carries a [`Severity`], a message, a [`Place`] (stack, address, field and
//! the Rust call site, each optional) and a hint, plus what some reports add: a rule code,
//! lines listed under the headline, numbered child diagnostics and labelled notes. Errors
//! implement [`ToDiagnostic`] and display through it, so the hint is a field, never text
//! glued onto a message.
//!
//! The rendered text is the layout oxiform has always printed:
//!
//! ```text
//! invalid value for `name` of `aws_s3_bucket.logs` in stack `demo` (at src/main.rs:12): too long
//!   hint: use at most 63 characters
//! ```
//!
//! ```
//! use oxiform_core::diagnostic::{Diagnostic, Place};
//!
//! let d = Diagnostic::error("is 70 characters long")
//!     .lead("invalid value for")
//!     .place(Place::new().stack("demo").address("aws_s3_bucket.logs").field("bucket"))
//!     .hint("use at most 63 characters");
//! assert_eq!(
//!     d.to_string(),
//!     "invalid value for `bucket` of `aws_s3_bucket.logs` in stack `demo`: is 70 characters long\n  hint: use at most 63 characters"
//! );
//! ```

use std::fmt;
use std::panic::Location;

/// Where in the user's Rust code something was declared.
///
/// Displays as `file:line`; the column is kept as data ([`CallSite::column`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallSite(pub(crate) &'static Location<'static>);

impl CallSite {
    /// The call site of the function that calls this one (through `#[track_caller]`
    /// functions, the user's code).
    #[track_caller]
    pub fn caller() -> CallSite {
        CallSite(Location::caller())
    }

    /// The source file.
    pub fn file(&self) -> &'static str {
        self.0.file()
    }

    /// The line, from 1.
    pub fn line(&self) -> u32 {
        self.0.line()
    }

    /// The column, from 1.
    pub fn column(&self) -> u32 {
        self.0.column()
    }
}

impl fmt::Display for CallSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0.file(), self.0.line())
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Stops the command (`error`).
    Error,
    /// Reported; stops nothing (`warning`).
    Warning,
    /// A finding that a waiver covers: reported with the waiver's reason, stops nothing
    /// (`waived`).
    Waived,
}

impl Severity {
    /// `error`, `warning` or `waived`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Waived => "waived",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a problem is: the stack, the address (`aws_s3_bucket.logs`, `output.url`), the field
/// (argument) and the Rust call site. Every part is optional.
///
/// Displays as the clause a message places it with, each part present in this order:
/// `` `field` of `address` in stack `stack` (at file:line) ``.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    stack: Option<String>,
    address: Option<String>,
    field: Option<String>,
    site: Option<CallSite>,
    file: Option<(String, u32)>,
}

impl Place {
    /// Nowhere in particular.
    pub fn new() -> Place {
        Place::default()
    }

    /// In stack `stack`.
    pub fn stack(mut self, stack: impl Into<String>) -> Place {
        self.stack = Some(stack.into());
        self
    }

    /// At the declaration `address`.
    pub fn address(mut self, address: impl Into<String>) -> Place {
        self.address = Some(address.into());
        self
    }

    /// At the argument (or JSON path) `field`.
    pub fn field(mut self, field: impl Into<String>) -> Place {
        self.field = Some(field.into());
        self
    }

    /// Declared at `site` in the user's Rust code.
    pub fn site(mut self, site: CallSite) -> Place {
        self.site = Some(site);
        self
    }

    /// At line `line` of the input file `file` (a `.tf` file `convert` reads, say); shown
    /// like a call site, `(at main.tf:12)`.
    pub fn file(mut self, file: impl Into<String>, line: u32) -> Place {
        self.file = Some((file.into(), line));
        self
    }

    /// The input file and line, if known.
    pub fn get_file(&self) -> Option<(&str, u32)> {
        self.file.as_ref().map(|(f, l)| (f.as_str(), *l))
    }

    /// The stack, if known.
    pub fn get_stack(&self) -> Option<&str> {
        self.stack.as_deref()
    }

    /// The address, if known.
    pub fn get_address(&self) -> Option<&str> {
        self.address.as_deref()
    }

    /// The field, if known.
    pub fn get_field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The call site, if known.
    pub fn get_site(&self) -> Option<CallSite> {
        self.site
    }

    /// Whether no part is known.
    pub fn is_empty(&self) -> bool {
        self.stack.is_none()
            && self.address.is_none()
            && self.field.is_none()
            && self.site.is_none()
            && self.file.is_none()
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut part = |f: &mut fmt::Formatter<'_>, args: fmt::Arguments<'_>| {
            let s = std::mem::replace(&mut sep, " ");
            write!(f, "{s}{args}")
        };
        match (&self.field, &self.address) {
            (Some(field), Some(address)) => part(f, format_args!("`{field}` of `{address}`"))?,
            (Some(one), None) | (None, Some(one)) => part(f, format_args!("`{one}`"))?,
            (None, None) => {}
        }
        if let Some(stack) = &self.stack {
            part(f, format_args!("in stack `{stack}`"))?;
        }
        if let Some(site) = &self.site {
            part(f, format_args!("(at {site})"))?;
        }
        if let Some((file, line)) = &self.file {
            part(f, format_args!("(at {file}:{line})"))?;
        }
        Ok(())
    }
}

/// A labelled line under a diagnostic, e.g. `fix: …` or `reason: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The label, e.g. `fix`.
    pub label: &'static str,
    /// The text after it.
    pub text: String,
}

/// One problem, as data: severity, message, place, hint, and what some reports add.
///
/// Built with [`Diagnostic::error`] (or [`warning`](Diagnostic::warning),
/// [`new`](Diagnostic::new)) and the builder methods; rendered by its `Display`:
///
/// ```text
/// [context: ]<headline>
///     <each body line>
/// <n>. <each child, numbered from 1>
///   <or each child listed, every line indented by two spaces>
///   <label>: <each note>
///   hint: <hint>
/// ```
///
/// The headline has two forms. With a [`code`](Diagnostic::code) (a policy rule's id) it is
/// a finding: `severity[code] address: message`. Otherwise it is a sentence that names the
/// place in words: `lead place: message` (or `lead place message` when the message
/// [runs on](Diagnostic::run_on)), where a missing lead or place is left out with its space,
/// and a diagnostic with neither is just its message. The severity word of a sentence is
/// written by whoever reports it at the top ([`Diagnostic::render`], the CLI's `error: `).
///
/// ```
/// use oxiform_core::diagnostic::{Diagnostic, Place, Severity};
///
/// let finding = Diagnostic::new(Severity::Warning, "cooldown 60 is shorter than 300")
///     .code("OXI-SCALE-003")
///     .place(Place::new().address("aws_appautoscaling_policy.p"))
///     .note("fix", "raise scale_in_cooldown to at least 300");
/// assert_eq!(
///     finding.to_string(),
///     "warning[OXI-SCALE-003] aws_appautoscaling_policy.p: cooldown 60 is shorter than 300\n  fix: raise scale_in_cooldown to at least 300"
/// );
///
/// let report = Diagnostic::error("synth found 1 problem:").child(
///     Diagnostic::error("added at a.rs:1 and again at a.rs:2")
///         .lead("duplicate address")
///         .place(Place::new().address("terraform_data.x").stack("demo"))
///         .hint("give each resource of one type a distinct name"),
/// );
/// assert_eq!(
///     report.render(),
///     "error: synth found 1 problem:\n1. duplicate address `terraform_data.x` in stack `demo`: added at a.rs:1 and again at a.rs:2\n  hint: give each resource of one type a distinct name"
/// );
/// ```
///
/// Its parts sit behind one box, so a `Result<_, Diagnostic>` stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic(Box<Parts>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    severity: Severity,
    code: Option<String>,
    context: Vec<String>,
    lead: Option<String>,
    place: Place,
    message: String,
    run_on: bool,
    body: Vec<String>,
    children: Vec<Diagnostic>,
    listed: bool,
    notes: Vec<Note>,
    hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `severity` saying `message`, with no place and no hint yet.
    pub fn new(severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic(Box::new(Parts {
            severity,
            code: None,
            context: Vec::new(),
            lead: None,
            place: Place::default(),
            message: message.into(),
            run_on: false,
            body: Vec::new(),
            children: Vec::new(),
            listed: false,
            notes: Vec::new(),
            hint: None,
        }))
    }

    /// An error saying `message`.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, message)
    }

    /// A warning saying `message`.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, message)
    }

    /// The code of the rule that found it (e.g. `OXI-TAG-001`): the headline becomes
    /// `severity[code] address: message`.
    pub fn code(mut self, code: impl Into<String>) -> Diagnostic {
        self.0.code = Some(code.into());
        self
    }

    /// What the message is about, in words, written before the place: `invalid value for`,
    /// `duplicate address`, `invalid cron expression "cron(…)"`.
    pub fn lead(mut self, lead: impl Into<String>) -> Diagnostic {
        self.0.lead = Some(lead.into());
        self
    }

    /// Where the problem is.
    pub fn place(mut self, place: Place) -> Diagnostic {
        self.0.place = place;
        self
    }

    /// The message continues the sentence the lead and place begin (joined by a space, not
    /// `: `), e.g. `` `x` in stack `s` refers to `y` ``.
    pub fn run_on(mut self) -> Diagnostic {
        self.0.run_on = true;
        self
    }

    /// Adds a line listed under the headline, indented by four spaces.
    pub fn body_line(mut self, line: impl Into<String>) -> Diagnostic {
        self.0.body.push(line.into());
        self
    }

    /// Adds a numbered child diagnostic, e.g. one problem of a report of several.
    pub fn child(mut self, child: Diagnostic) -> Diagnostic {
        self.0.children.push(child);
        self
    }

    /// Adds `children`, numbered after those already there.
    pub fn children(mut self, children: impl IntoIterator<Item = Diagnostic>) -> Diagnostic {
        self.0.children.extend(children);
        self
    }

    /// Lists the children unnumbered, every line of each indented by two spaces, as a file
    /// with several problems lists them:
    ///
    /// ```
    /// use oxiform_core::diagnostic::Diagnostic;
    ///
    /// let d = Diagnostic::error("config.json has 1 problem:")
    ///     .child(Diagnostic::error("not a region").lead("at $.region").hint("write us-east-1"))
    ///     .list_children();
    /// assert_eq!(
    ///     d.to_string(),
    ///     "config.json has 1 problem:\n  at $.region: not a region\n    hint: write us-east-1"
    /// );
    /// ```
    pub fn list_children(mut self) -> Diagnostic {
        self.0.listed = true;
        self
    }

    /// Adds a labelled line, `  label: text`, written before the hint.
    pub fn note(mut self, label: &'static str, text: impl Into<String>) -> Diagnostic {
        self.0.notes.push(Note {
            label,
            text: text.into(),
        });
        self
    }

    /// How to fix it, written last as `  hint: …`.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.0.hint = Some(hint.into());
        self
    }

    /// Sets or removes the hint.
    pub fn set_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.0.hint = hint;
        self
    }

    /// Says what was being done when it happened: `context: ` before the headline. The last
    /// context given is written first.
    pub fn context(mut self, context: impl Into<String>) -> Diagnostic {
        self.0.context.insert(0, context.into());
        self
    }

    /// How bad it is.
    pub fn get_severity(&self) -> Severity {
        self.0.severity
    }

    /// The rule code, if any.
    pub fn get_code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The message, without lead, place, context or hint.
    pub fn get_message(&self) -> &str {
        &self.0.message
    }

    /// The lead, if any.
    pub fn get_lead(&self) -> Option<&str> {
        self.0.lead.as_deref()
    }

    /// Where the problem is.
    pub fn get_place(&self) -> &Place {
        &self.0.place
    }

    /// The lines listed under the headline.
    pub fn get_body(&self) -> &[String] {
        &self.0.body
    }

    /// The numbered child diagnostics.
    pub fn get_children(&self) -> &[Diagnostic] {
        &self.0.children
    }

    /// The labelled notes.
    pub fn get_notes(&self) -> &[Note] {
        &self.0.notes
    }

    /// The hint, if any.
    pub fn get_hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// The diagnostic as reported at the top: `severity: ` before a sentence headline (a
    /// finding's headline already starts with its severity).
    pub fn render(&self) -> String {
        if self.0.code.is_some() {
            self.to_string()
        } else {
            format!("{}: {self}", self.0.severity)
        }
    }

    fn headline(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.0.context {
            write!(f, "{c}: ")?;
        }
        let mut opened = false;
        if let Some(code) = &self.0.code {
            write!(f, "{}[{code}]", self.0.severity)?;
            if let Some(address) = &self.0.place.address {
                write!(f, " {address}")?;
            }
            let rest = Place {
                address: None,
                ..self.0.place.clone()
            };
            if !rest.is_empty() {
                write!(f, " {rest}")?;
            }
            opened = true;
        } else {
            if let Some(lead) = &self.0.lead {
                f.write_str(lead)?;
                opened = true;
            }
            if !self.0.place.is_empty() {
                if opened {
                    f.write_str(" ")?;
                }
                write!(f, "{}", self.0.place)?;
                opened = true;
            }
        }
        if opened && !self.0.message.is_empty() {
            f.write_str(if self.0.run_on { " " } else { ": " })?;
        }
        f.write_str(&self.0.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.headline(f)?;
        for line in &self.0.body {
            write!(f, "\n    {line}")?;
        }
        for (i, child) in self.0.children.iter().enumerate() {
            if self.0.listed {
                write!(f, "\n  {}", child.to_string().replace('\n', "\n  "))?;
            } else {
                write!(f, "\n{}. {child}", i + 1)?;
            }
        }
        for note in &self.0.notes {
            write!(f, "\n  {}: {}", note.label, note.text)?;
        }
        if let Some(hint) = &self.0.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// What turns into a [`Diagnostic`]: every error type of oxiform, and policy findings. Their
/// `Display` is the diagnostic's.
pub trait ToDiagnostic {
    /// The diagnostic: message, place, hint and severity.
    fn to_diagnostic(&self) -> Diagnostic;
}

impl ToDiagnostic for Diagnostic {
    fn to_diagnostic(&self) -> Diagnostic {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> CallSite {
        CallSite::caller()
    }

    #[test]
    fn every_place_combination_renders_as_a_clause() {
        let s = site();
        let at = format!("(at {s})");
        let cases: Vec<(Place, String)> = vec![
            (Place::new(), String::new()),
            (Place::new().stack("st"), "in stack `st`".into()),
            (Place::new().address("a.b"), "`a.b`".into()),
            (Place::new().field("f"), "`f`".into()),
            (Place::new().site(s), at.clone()),
            (
                Place::new().address("a.b").field("f"),
                "`f` of `a.b`".into(),
            ),
            (
                Place::new().address("a.b").stack("st"),
                "`a.b` in stack `st`".into(),
            ),
            (
                Place::new().field("f").stack("st"),
                "`f` in stack `st`".into(),
            ),
            (
                Place::new().stack("st").site(s),
                format!("in stack `st` {at}"),
            ),
            (Place::new().address("a.b").site(s), format!("`a.b` {at}")),
            (Place::new().field("f").site(s), format!("`f` {at}")),
            (
                Place::new().address("a.b").field("f").stack("st"),
                "`f` of `a.b` in stack `st`".into(),
            ),
            (
                Place::new().address("a.b").field("f").site(s),
                format!("`f` of `a.b` {at}"),
            ),
            (
                Place::new().address("a.b").stack("st").site(s),
                format!("`a.b` in stack `st` {at}"),
            ),
            (
                Place::new().field("f").stack("st").site(s),
                format!("`f` in stack `st` {at}"),
            ),
            (
                Place::new().address("a.b").field("f").stack("st").site(s),
                format!("`f` of `a.b` in stack `st` {at}"),
            ),
        ];
        for (place, clause) in cases {
            assert_eq!(place.to_string(), clause, "{place:?}");
            assert_eq!(place.is_empty(), clause.is_empty());
            // In a sentence, with and without a lead, with and without a hint.
            let d = Diagnostic::error("broken").place(place.clone());
            let expected = if clause.is_empty() {
                "broken".to_owned()
            } else {
                format!("{clause}: broken")
            };
            assert_eq!(d.to_string(), expected);
            let d = d.lead("bad value for").hint("fix it");
            let expected = if clause.is_empty() {
                "bad value for: broken\n  hint: fix it".to_owned()
            } else {
                format!("bad value for {clause}: broken\n  hint: fix it")
            };
            assert_eq!(d.to_string(), expected);
        }
    }

    #[test]
    fn the_call_site_is_file_and_line_with_the_column_as_data() {
        let s = site();
        assert_eq!(s.to_string(), format!("{}:{}", file!(), s.line()));
        assert_eq!(s.file(), file!());
        assert!(s.column() > 0);
    }

    #[test]
    fn a_message_alone_and_with_a_hint() {
        assert_eq!(Diagnostic::error("no").to_string(), "no");
        assert_eq!(
            Diagnostic::error("no").hint("yes").to_string(),
            "no\n  hint: yes"
        );
        assert_eq!(
            Diagnostic::error("no")
                .hint("yes")
                .set_hint(None)
                .to_string(),
            "no"
        );
    }

    #[test]
    fn a_run_on_message_continues_the_sentence() {
        let d = Diagnostic::error("refers to `y`, which belongs to another stack")
            .place(Place::new().address("x.a").stack("s"))
            .run_on();
        assert_eq!(
            d.to_string(),
            "`x.a` in stack `s` refers to `y`, which belongs to another stack"
        );
        let d = Diagnostic::error("between 2 resources:")
            .lead("dependency cycle")
            .place(Place::new().stack("s"))
            .run_on()
            .body_line("a.x (added at a.rs:1)")
            .body_line("a.y (added at a.rs:2)")
            .hint("break it");
        assert_eq!(
            d.to_string(),
            "dependency cycle in stack `s` between 2 resources:\n    a.x (added at a.rs:1)\n    a.y (added at a.rs:2)\n  hint: break it"
        );
    }

    #[test]
    fn each_severity_renders_at_the_top_and_in_a_finding() {
        for (severity, word) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Waived, "waived"),
        ] {
            assert_eq!(severity.to_string(), word);
            let d = Diagnostic::new(severity, "it is wrong");
            assert_eq!(d.get_severity(), severity);
            assert_eq!(d.to_string(), "it is wrong");
            assert_eq!(d.render(), format!("{word}: it is wrong"));
            let with_hint = d.clone().hint("do this");
            assert_eq!(
                with_hint.render(),
                format!("{word}: it is wrong\n  hint: do this")
            );
            let finding = d
                .code("OXI-X-001")
                .place(Place::new().address("aws_s3_bucket.b"))
                .note("fix", "do that");
            let text = format!("{word}[OXI-X-001] aws_s3_bucket.b: it is wrong\n  fix: do that");
            assert_eq!(finding.to_string(), text);
            assert_eq!(finding.render(), text);
        }
        assert_eq!(Diagnostic::warning("w").get_severity(), Severity::Warning);
    }

    #[test]
    fn a_finding_names_its_address_bare_and_the_rest_of_its_place_as_a_clause() {
        let s = site();
        let d = Diagnostic::error("m").code("R-1");
        assert_eq!(d.to_string(), "error[R-1]: m");
        let d = d.place(Place::new().address("a.b").stack("st").site(s));
        assert_eq!(
            d.to_string(),
            format!("error[R-1] a.b in stack `st` (at {s}): m")
        );
    }

    #[test]
    fn children_are_numbered_and_notes_come_before_the_hint() {
        let d = Diagnostic::error("found 2 problems:")
            .children([
                Diagnostic::error("one").hint("h1"),
                Diagnostic::error("two").note("fix", "f2"),
            ])
            .note("caused by", "x")
            .hint("fix each one");
        assert_eq!(
            d.to_string(),
            "found 2 problems:\n1. one\n  hint: h1\n2. two\n  fix: f2\n  caused by: x\n  hint: fix each one"
        );
        assert_eq!(d.get_children().len(), 2);
        assert_eq!(d.get_notes()[0].label, "caused by");
        assert_eq!(d.get_hint(), Some("fix each one"));
    }

    #[test]
    fn listed_children_are_indented_line_by_line() {
        let d = Diagnostic::error("f.json has 2 problems:")
            .children([
                Diagnostic::error("bad").lead("at $.a").hint("h1"),
                Diagnostic::error("worse")
                    .lead("at $.b")
                    .body_line("x")
                    .hint("h2"),
            ])
            .list_children()
            .hint("fix each one");
        assert_eq!(
            d.to_string(),
            "f.json has 2 problems:\n  at $.a: bad\n    hint: h1\n  at $.b: worse\n      x\n    hint: h2\n  hint: fix each one"
        );
        assert_eq!(d.get_children()[1].get_hint(), Some("h2"));
    }

    #[test]
    fn contexts_come_first_the_last_given_outermost() {
        let d = Diagnostic::error("no credentials")
            .hint("log in")
            .context("inner")
            .context("outer");
        assert_eq!(
            d.to_string(),
            "outer: inner: no credentials\n  hint: log in"
        );
        assert_eq!(d.get_message(), "no credentials");
    }

    #[test]
    fn the_parts_stay_readable_as_data() {
        let s = site();
        let d = Diagnostic::error("too long")
            .lead("invalid value for")
            .place(Place::new().stack("st").address("a.b").field("f").site(s))
            .hint("shorten it");
        assert_eq!(d.get_lead(), Some("invalid value for"));
        assert_eq!(d.get_code(), None);
        assert_eq!(d.get_place().get_stack(), Some("st"));
        assert_eq!(d.get_place().get_address(), Some("a.b"));
        assert_eq!(d.get_place().get_field(), Some("f"));
        assert_eq!(d.get_place().get_site(), Some(s));
        assert!(d.get_body().is_empty());
        assert_eq!(d.to_diagnostic(), d);
    }
}
