"""Click subcommands, one module each; see :mod:`evaluatie.cli`."""
