"""The toolkit's exceptions, under one base class.

The CLI converts :class:`IsmsError` into a clean message and exit code in exactly one place
(``toolkit.cli.IsmsGroup``); nothing a user can cause reaches them as a traceback.
"""

from __future__ import annotations

from pathlib import Path

EXIT_PASSED = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class IsmsError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        """``file:line: message`` when a file is known, else the message."""
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class NotARepositoryError(IsmsError):
    """The folder is not a policy repository (no ``isms.yml``) or cannot be read."""


class InvalidAnswersError(IsmsError):
    """An answers file or option value for ``isms init`` is invalid."""


class ProfileTableError(IsmsError):
    """The templates' profile table (``policy_templates/profiles.yml``) lacks an entry it needs."""


class TargetNotEmptyError(IsmsError):
    """A writing command was pointed at a non-empty target without ``--force``."""


class OutputError(IsmsError):
    """An output file could not be written."""


class CatalogError(IsmsError):
    """A control catalog shipped with (or added to) the toolkit is invalid."""

    catalog_id: str | None = None


class DocumentNotFoundError(IsmsError):
    """No document matches the path or id given (``isms approve``)."""


class InvalidApprovalError(IsmsError):
    """``isms approve`` was given a value it must not record (empty approver, lower version, ...)."""


class SoaEditError(IsmsError):
    """``isms soa status`` was given a control it cannot record (unknown, excluded), or a file it cannot
    edit in place."""


class StaleDocumentError(IsmsError):
    """A file changed between the moment ``isms approve`` read it and the moment it would have written it."""


class GitError(IsmsError):
    """The folder is not in a git repository, the revision is unknown, or git failed."""


class GitMissingError(GitError):
    """git is not installed."""


class SiteBuildError(IsmsError):
    """MkDocs could not build the handbook; exits 1 like a failed check."""

    exit_code = EXIT_FINDINGS
