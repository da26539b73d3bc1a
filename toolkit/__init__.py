"""isms-toolkit: an ISO/IEC 27001 ISMS kept as code.

The library is usable without the CLI: :func:`toolkit.loader.load_repository` reads a policy repository,
:func:`toolkit.check.run_check` checks it, and :mod:`toolkit.reporters` renders the result.
"""

__version__ = "0.1.0"
