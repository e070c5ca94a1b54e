//! Data-driven tests: each case is a pair of schemas in the compact text form of `fixture`,
//! and one helper, [`check`], that diffs them, proves the plan (and its inverse, and the plan
//! for the way back) on the in-memory simulator, and renders the plan for a snapshot.

mod api;
mod authority;
mod cases;
mod fixture;
mod pairs;
mod render;
mod table_facts;

use autogen_schema::Schema;

use crate::{DiffOptions, Plan, apply_all, check_consistent, diff};

/// Diffs `before` -> `after` (rename lines in `after` become the options) and returns the plan
/// as text. Panics unless all of these hold:
/// - both fixtures are consistent schemas, and each diffed with itself is empty;
/// - the same input gives the same plan twice;
/// - the dependency graph has no cycle;
/// - applying the plan to `before` gives `after` (columns compared by name), a second diff is
///   empty, and applying the inverse plan to that gives `before` back;
/// - the same holds for the plan of the way back (`after` -> `before`, without hints).
pub(crate) fn check(before: &str, after: &str) -> String {
    let (a, _) = fixture::parse(before);
    let (b, options) = fixture::parse(after);
    check_schemas(a, b, &options)
}

/// [`check`] on schemas built some other way (facts the fixture text does not spell).
pub(crate) fn check_schemas(a: Schema, b: Schema, options: &crate::DiffOptions) -> String {
    for (side, schema) in [("before", &a), ("after", &b)] {
        if let Err(e) = check_consistent(schema) {
            panic!("the {side} fixture is not a consistent schema: {e}");
        }
        let same = diff(schema, schema, &DiffOptions::default());
        assert!(
            same.is_empty(),
            "diff of the {side} fixture with itself is not empty:\n{}",
            render::plan(&same)
        );
    }
    let plan = diff(&a, &b, options);
    assert_eq!(plan, diff(&a, &b, options), "the plan is not deterministic");
    // What the plan reaches: `after` with the facts its source does not state taken from
    // `before` (the same as `after` when the source states everything).
    let b = crate::scoped_desired(&a, b, options);
    round_trip(&a, &b, &plan);
    round_trip(&b, &a, &diff(&b, &a, &DiffOptions::default()));
    render::plan(&plan)
}

fn round_trip(a: &Schema, b: &Schema, plan: &Plan) {
    let text = render::plan(plan);
    assert!(
        !crate::order::has_cycle(&plan.changes, a, b),
        "the dependency graph has a cycle:\n{text}"
    );
    let mut state = a.clone();
    if let Err(e) = apply_all(&mut state, &plan.changes) {
        panic!("the plan does not apply: {e}\n{text}");
    }
    assert_eq!(
        state.with_columns_by_name(),
        b.with_columns_by_name(),
        "the plan does not reach the desired schema:\n{text}"
    );
    let again = diff(&state, b, &DiffOptions::default());
    assert!(
        again.is_empty(),
        "a second diff is not empty:\n{}",
        render::plan(&again)
    );
    let down = plan.inverse().expect("the plan applies to its own before");
    if let Err(e) = apply_all(&mut state, &down.changes) {
        panic!(
            "the inverse plan does not apply: {e}\nup:\n{text}down:\n{}",
            render::plan(&down)
        );
    }
    assert_eq!(
        state.with_columns_by_name(),
        a.with_columns_by_name(),
        "the inverse plan does not restore the schema:\n{text}"
    );
}
