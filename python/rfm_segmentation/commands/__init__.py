"""One module per `rfm` subcommand: argument definitions and a `run(args)` that calls the package."""
