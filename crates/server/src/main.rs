//! `dingdan`: the order platform's server and command line. See `dingdan --help`.

fn main() -> std::process::ExitCode {
    dingdan::cli::main()
}
