//! Reading `autogen --help`: the CLI reference (`docs.rs`) and the completions and man page
//! (`cli_install.rs`) are checked against the commands it lists.

/// The subcommands `help` (the text of `autogen --help`) lists, in its order, without `help`.
pub fn subcommands(help: &str) -> Vec<String> {
    help.split("Commands:\n")
        .nth(1)
        .expect("the help lists commands")
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect()
}
