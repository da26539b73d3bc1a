"""What ``isms build`` and ``isms serve`` tell the person at the terminal while MkDocs works.

No MkDocs API here: the plugin calls these from its events. rich is imported only when a progress bar is
shown (a build with a terminal on stderr).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any


class PageProgress:
    """ "Writing pages N/M" with a bar on stderr, for builds long enough to need one.

    Made only when stderr is a terminal: in a CI log or a pipe a build stays quiet."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` pages (called once the pages are known; again on a rebuild)."""
        from rich.console import Console  # noqa: PLC0415 - only on a terminal
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

        self.stop()
        self._progress = Progress(
            TextColumn("Writing pages"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr, force_terminal=True),
            transient=False,
        )
        self._task = self._progress.add_task("pages", total=total)
        self._progress.start()

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def stop(self) -> None:
        """Leave the bar's last state on screen and give the terminal back (safe to call twice)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class ServeReport:
    """The address of the preview, then one line for each build: when, how many pages, how long."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.builds = 0
        self.pages = 0
        self._started = 0.0

    def starting(self) -> None:
        self._started = time.perf_counter()

    def built(self) -> None:
        """Called once a build has succeeded (MkDocs' strict check comes after the pages are written)."""
        seconds = time.perf_counter() - self._started
        what = "Built" if self.builds == 0 else f"{_now()} Rebuilt"
        self.builds += 1
        self.echo(f"{what} the handbook: {self.pages} pages in {seconds:.1f} s")

    def serving(self, url: str) -> None:
        self.echo(f"Serving the handbook at {url} (press Ctrl+C to stop)")
        self.echo("Watching the repository: each change rebuilds the handbook and reloads the browser.")

    def failed(self, message: str) -> None:
        self.echo(
            f"{_now()} The rebuild failed: {message} (the messages above say why)\n"
            "The preview keeps showing the last good build until this is fixed."
        )


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")
