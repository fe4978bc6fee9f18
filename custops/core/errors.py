"""Errors that tell the analyst what failed, the likely cause and the fix.

The CLI prints these without a traceback and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CustopsError", "ConfigError", "DataError", "PipelineError"]

DOCS = "see README.md, section 'Your own data'"


class CustopsError(Exception):
    """Base class: a message for people, with cause and fix.

    Examples
    --------
    >>> str(CustopsError("Orders file is empty.", fix="Export it again."))
    'Orders file is empty.\\n  fix: Export it again.'
    """

    def __init__(self, message: str, *, cause: str | None = None, fix: str | None = None) -> None:
        self.message = message
        self.cause = cause
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [self.message]
        if self.cause:
            parts.append(f"  likely cause: {self.cause}")
        if self.fix:
            parts.append(f"  fix: {self.fix}")
        return "\n".join(parts)


class ConfigError(CustopsError):
    """The configuration file or a parameter is wrong."""


class DataError(CustopsError):
    """An input file cannot be used: names the file, the column and example rows.

    Examples
    --------
    >>> err = DataError("orders.csv", "amount", "has text where numbers belong", examples=["row 3: 'abc'"])
    >>> print(str(err).splitlines()[0])
    orders.csv, column 'amount': has text where numbers belong
    """

    def __init__(
        self,
        file: str,
        column: str | None,
        problem: str,
        *,
        examples: Sequence[str] = (),
        cause: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.file = file
        self.column = column
        self.problem = problem
        self.examples = list(examples)[:5]
        where = f"{file}, column {column!r}" if column else file
        message = f"{where}: {problem}"
        if self.examples:
            message += "\n  example rows:\n" + "\n".join(f"    {e}" for e in self.examples)
        super().__init__(
            message,
            cause=cause,
            fix=fix or f"Correct the file or the mapping in the config ({DOCS}).",
        )


class PipelineError(CustopsError):
    """A notebook failed during a run."""
