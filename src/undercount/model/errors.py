"""Errors raised by the value parsers and record builders of :mod:`undercount.model`.

Both classes derive from :class:`undercount.errors.UserInputError` (so the CLI shows
them as one line, without a traceback) *and* from :class:`ValueError` (so pydantic
turns them into validation errors and callers may catch the builtin).
"""

from __future__ import annotations

from collections.abc import Sequence

from undercount.errors import UserInputError


class ValueParseError(UserInputError, ValueError):
    """A single cell could not be read as a date, age, sex or number.

    Parameters
    ----------
    kind
        What was being read: ``"date"``, ``"age"``, ``"sex"``, ``"number"`` ...
    value
        The value as supplied (kept verbatim for the quarantine).
    reason
        Why it was refused, in a few words.
    accepted
        A short list of the accepted forms, shown to the user as the fix.

    Notes
    -----
    ``str(error)`` reads ``"<reason>: <value!r>; accepted <kind> forms: <accepted>"``.
    """

    def __init__(
        self, kind: str, value: object, reason: str, accepted: str = ""
    ) -> None:
        self.kind = kind
        self.value = value
        self.reason = reason
        self.accepted = accepted
        message = f"{reason}: {value!r}"
        if accepted:
            message += f"; accepted {kind} forms: {accepted}"
        super().__init__(message)

    def __reduce__(
        self,
    ) -> tuple[type[ValueParseError], tuple[str, object, str, str]]:
        # Exceptions pickle through ``args``; ours has a richer constructor.
        return (type(self), (self.kind, self.value, self.reason, self.accepted))


class RecordValidationError(UserInputError, ValueError):
    """A raw row could not become a record; *every* failing field is listed.

    Parameters
    ----------
    field_errors
        ``(field, reason)`` pairs, in column order, one per failing field.
    record_id
        The row's ``record_id`` when it could be read, for the message.

    Notes
    -----
    Ingest stores :attr:`field_errors` in the quarantine table: nothing is dropped
    silently, and the user sees all problems of a row at once rather than one per
    attempt.
    """

    def __init__(
        self, field_errors: Sequence[tuple[str, str]], record_id: str | None = None
    ) -> None:
        self.field_errors: list[tuple[str, str]] = list(field_errors)
        self.record_id = record_id
        where = f"record {record_id!r}" if record_id else "record"
        details = "; ".join(f"{field}: {reason}" for field, reason in self.field_errors)
        super().__init__(
            f"{where} has {len(self.field_errors)} invalid field(s): {details}"
        )

    def __reduce__(
        self,
    ) -> tuple[type[RecordValidationError], tuple[list[tuple[str, str]], str | None]]:
        return (type(self), (self.field_errors, self.record_id))
