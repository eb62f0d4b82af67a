use std::process::ExitCode;

use clap::Parser;

/// Rendering invoices and serving pages allocate many small objects; mimalloc handles that much
/// better than glibc's malloc (measured in `cargo bench --bench invoices`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let format = match ebok::logging::Format::from_env() {
        Ok(format) => format,
        Err(value) => {
            eprintln!(
                "ebok: {}={value:?} is not a log format: use \"text\" or \"json\"",
                ebok::logging::Format::VAR
            );
            return ExitCode::from(2);
        }
    };
    // Installed before Rocket, which then logs through it instead of its own logger.
    tracing_subscriber::util::SubscriberInitExt::init(ebok::logging::subscriber(
        std::io::stderr,
        format,
    ));
    let cli = ebok::cli::Cli::parse();
    match ebok::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One sentence for the operator, never a backtrace.
            eprintln!("ebok: {error:#}");
            ExitCode::from(2)
        }
    }
}
