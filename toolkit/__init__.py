"""isms-toolkit: an ISO/IEC 27001 ISMS kept as code.

The library is usable without the CLI: :func:`toolkit.workspace.open_workspace` opens a policy repository,
:func:`toolkit.check.run_check` checks it, and :mod:`toolkit.outputs` renders the result.
"""

__version__ = "0.1.0"
