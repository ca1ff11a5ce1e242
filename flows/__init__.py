"""The process edge: Prefect flows, sources, sinks and the CLI.

Importing the package sets the libraries' process defaults (flows.prefect_env) before anything
imports Prefect or numpy: every entry point imports a module of this package first.
"""

import flows.prefect_env  # noqa: F401
