"""statemachine.StateTable, the one transition helper, and the six tables that use it."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from statemachine import StateTable


class Refused(Exception):
    pass


TABLE = StateTable({"open": ({"draft", "closed"}, "open"), "close": ({"open"}, {"closed"}),
                    "delete": ({"draft"}, None), "move": ({"open"}, {"open", "closed"})},
                   refuse=lambda action, current: Refused(f"{action} from {current}"))


def test_check_returns_the_target_or_the_apps_refusal():
    assert TABLE.check("open", "draft") == "open"
    assert TABLE.check("delete", "draft") is None
    assert TABLE.check("move", "open", "closed") == "closed"
    with pytest.raises(Refused, match="close from draft"):
        TABLE.check("close", "draft")
    with pytest.raises(Refused):
        TABLE.check("move", "open", "draft")  # an undeclared target
    with pytest.raises(ValueError):
        TABLE.check("move", "open")  # several targets: the caller names one


def test_allows_and_actions_from():
    assert TABLE.allows("open", "closed") and not TABLE.allows("open", "open") and not TABLE.allows("nope", "open")
    assert TABLE.actions_from("open") == ["close", "move"]
    assert TABLE.actions_from("draft") == ["open", "delete"]


def test_a_table_of_statuses_reads_the_status_moved_to_as_the_action():
    table = StateTable.of_statuses({"queued": {"running", "failed"}, "running": {"done", "failed"}},
                                   refuse=lambda to, current: Refused(to))
    assert table.allows("failed", "queued") and table.allows("failed", "running")
    assert not table.allows("done", "queued")
    assert table.check("running", "queued") == "running"


class _Row:
    """A stand-in for a model row: what `move` sets and saves."""

    def __init__(self, status):
        self.status, self.saved, self.note = status, None, ""

    def save(self, *, update_fields):
        self.saved = update_fields


def test_move_checks_sets_saves_only_its_fields_and_records(db):
    row, recorded = _Row("open"), []
    with transaction.atomic():
        assert TABLE.move(row, action="close", changes={"note": "n"}, fields=("updated_at",),
                          record=lambda *moved: recorded.append(moved)) == "closed"
    assert (row.status, row.note, row.saved, recorded) == ("closed", "n", ["status", "note", "updated_at"],
                                                           [("open", "closed")])


def test_move_refused_changes_nothing(db):
    row, recorded = _Row("draft"), []
    with transaction.atomic(), pytest.raises(Refused):
        TABLE.move(row, action="close", changes={"note": "n"}, record=recorded.append)
    assert (row.status, row.note, row.saved, recorded) == ("draft", "", None, [])


def test_move_needs_the_callers_transaction(db):
    # The test itself runs in a transaction: the connection is made to say it is outside one, for a moment.
    connection, row = transaction.get_connection(), _Row("open")
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            TABLE.move(row, action="close")
    finally:
        connection.in_atomic_block = True
    assert (row.status, row.saved) == ("open", None)


def test_every_state_table_of_the_platform_uses_the_helper():
    from enterprises.services import REGISTRATION
    from filing.services import TASKS as FILING_TASKS
    from formdefs.services import VERSIONS
    from ops.task_base import TASKS as BACKGROUND_TASKS
    from survey_builder.services.lifecycle import QUESTIONNAIRES
    from workflow.transitions import SUBMISSIONS

    for table in (SUBMISSIONS, REGISTRATION, FILING_TASKS, VERSIONS, QUESTIONNAIRES, BACKGROUND_TASKS):
        assert isinstance(table, StateTable)
    assert VERSIONS.allows("published", "draft") and not VERSIONS.allows("draft", "published")
    assert QUESTIONNAIRES.allows("stopped", "active") and not QUESTIONNAIRES.allows("active", "stopped")
    assert BACKGROUND_TASKS.allows("failed", "queued") and not BACKGROUND_TASKS.allows("running", "done")
    assert FILING_TASKS.allows("filing.task_open", "closed") and not FILING_TASKS.allows("filing.task_close", "draft")
    with pytest.raises(ValidationError):
        REGISTRATION.check("registration.approve", "returned")
