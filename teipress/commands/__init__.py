"""One module per command of the command line (`teipress build`, `validate`, `deposit`,
`serve`, `init`).  Each does the work and reports through return values, exceptions and
callbacks; printing and exit codes belong to teipress/cli.py."""
