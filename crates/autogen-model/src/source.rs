//! Which reader a models path is read with, and the one entry point over all of them.

use crate::{ModelOptions, ModelOutput, SourceFile};

/// A model source: the native `#[derive(autogen::Model)]` dialect, SeaORM entities, or a
/// Diesel `schema.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Autogen,
    SeaOrm,
    Diesel,
}

impl Source {
    /// Every source, in the order messages list them.
    pub const ALL: [Source; 3] = [Source::Autogen, Source::SeaOrm, Source::Diesel];

    /// The name `source = ".."` and `--source` take.
    pub fn name(self) -> &'static str {
        match self {
            Source::Autogen => "autogen",
            Source::SeaOrm => "seaorm",
            Source::Diesel => "diesel",
        }
    }

    /// The source named `text`, or the message that lists the names.
    pub fn parse(text: &str) -> Result<Source, String> {
        Source::ALL
            .into_iter()
            .find(|s| s.name() == text)
            .ok_or_else(|| {
                format!("unknown model source `{text}`; expected one of: autogen, seaorm, diesel")
            })
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Reads `files` with the reader of `source`.
pub fn read_source(source: Source, files: &[SourceFile], options: &ModelOptions) -> ModelOutput {
    match source {
        Source::Autogen => crate::read_models(files, options),
        Source::SeaOrm => crate::seaorm::read_seaorm(files, options),
        Source::Diesel => crate::diesel::read_diesel(files, options),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::Dialect;

    #[test]
    fn sources_by_name() {
        assert_eq!(Source::parse("seaorm"), Ok(Source::SeaOrm));
        assert_eq!(
            Source::parse("sea-orm").unwrap_err(),
            "unknown model source `sea-orm`; expected one of: autogen, seaorm, diesel"
        );
        for source in Source::ALL {
            assert_eq!(Source::parse(source.name()), Ok(source));
        }
    }

    #[test]
    fn outputs_of_two_sources_merge_and_a_table_defined_twice_is_refused() {
        let options = ModelOptions::new(Dialect::Postgres);
        let a = read_source(
            Source::Autogen,
            &[SourceFile::new(
                "a.rs",
                "#[derive(autogen::Model)] struct A { #[autogen(primary_key)] id: i64 }",
            )],
            &options,
        );
        let b = read_source(
            Source::Autogen,
            &[SourceFile::new(
                "b.rs",
                "#[derive(autogen::Model)] struct B { #[autogen(primary_key)] id: i64 }",
            )],
            &options,
        );
        let merged = ModelOutput::merge(vec![a.clone(), b]).expect("distinct tables");
        let tables: Vec<&String> = merged.schema.schemas["public"].tables.keys().collect();
        assert_eq!(tables, ["a", "b"]);
        assert_eq!(
            ModelOutput::merge(vec![a.clone(), a]).unwrap_err(),
            "table `public.a` is defined by two model sources"
        );
    }

    #[test]
    fn the_autogen_source_is_the_native_reader() {
        let files = [SourceFile::new(
            "m.rs",
            "#[derive(autogen::Model)] struct T { #[autogen(primary_key)] id: i64 }",
        )];
        let options = ModelOptions::new(Dialect::Postgres);
        assert_eq!(
            read_source(Source::Autogen, &files, &options),
            crate::read_models(&files, &options)
        );
    }
}
