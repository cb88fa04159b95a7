"""回执 and 进度: the receipt an enterprise prints after 上报, its public check (回执核验), and the report's
progress line by region (海曙区 ✓ → 宁波市 ⏳ → 浙江省 → 全国), issue 21 §3.

The verification code is computed, not stored: an HMAC (SECRET_KEY, `salted_hmac`) of the submission id,
the second it was submitted and a digest of its answers, written as 10 Crockford base-32 characters in
groups (7K3Q-9XPA-2M, 50 bits: guessing one is hopeless, so the public check needs no more than one
primary-key read). A resubmission has a new `submitted_at`, so a new code; the old one no longer
verifies, and is recognised as superseded from the review trail: a submit event's time gives the
second (the event is written a moment after `submitted_at`, so that second or the one before) and the
return that ended the round kept the answers as submitted (ReviewEvent.answers).
"""
import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from workflow.enums import Action

from .enums import SubmissionStatus
from .models import Submission

#: Crockford's base 32: no I, L, O or U, so a code read off paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_SALT = "reporting.receipt"
#: Misreadings folded back on input (Crockford): O is 0, I and L are 1.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: A receipt stands for a report that is under review or approved.
RECEIPT_STATUSES = frozenset({SubmissionStatus.PENDING, SubmissionStatus.APPROVED})


def answers_digest(answers: dict) -> str:
    """A digest of the answers that does not depend on key order (sha256 of canonical JSON)."""
    text = json.dumps(answers or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def receipt_code(*, submission_id: int, submitted_at: datetime.datetime, answers: dict) -> str:
    """The verification code of one submission as submitted: ``XXXX-XXXX-XX`` (pure: the same input,
    the same SECRET_KEY, the same code)."""
    return _code(submission_id, int(submitted_at.timestamp()), answers_digest(answers))


def _code(submission_id: int, second: int, digest: str) -> str:
    mac = salted_hmac(_SALT, f"{submission_id}|{second}|{digest}", algorithm="sha256").digest()
    number = int.from_bytes(mac[:8], "big") >> (64 - 5 * CODE_LENGTH)
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def receipt_code_normalize(text: str) -> str | None:
    """A code as typed (spaces, hyphens, lower case, O for 0) in its printed form, or None when it cannot
    be one (wrong length or characters)."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum()).translate(_READ_AS)
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# -- the receipt -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """报送回执: what the printed receipt says about one submission."""

    submission: Submission
    code: str

    @property
    def submitted_at(self) -> datetime.datetime:
        return self.submission.submitted_at


def receipt_available(submission: Submission) -> bool:
    """Under review or approved: the report has a receipt to print."""
    return submission.status in RECEIPT_STATUSES and submission.submitted_at is not None


def submission_receipt(submission: Submission) -> Receipt | None:
    """The receipt of a report under review or approved; None for one not (or no longer) submitted."""
    if not receipt_available(submission):
        return None
    return Receipt(submission=submission, code=receipt_code(
        submission_id=submission.pk, submitted_at=submission.submitted_at, answers=submission.answers))


# -- 回执核验 ----------------------------------------------------------------------------------

class Verdict:
    VALID = "valid"
    SUPERSEDED = "superseded"  # the code of an earlier round: the report was returned, withdrawn or resubmitted
    INVALID = "invalid"


@dataclass(frozen=True)
class Verification:
    verdict: str
    submission: Submission | None = None  # set only when the code is genuine (valid or superseded)

    @property
    def is_valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def is_superseded(self) -> bool:
        return self.verdict == Verdict.SUPERSEDED


def receipt_verify(*, submission_id: int, code: str) -> Verification:
    """回执核验: is `code` the receipt code of submission `submission_id`? An unknown id and a wrong code
    give the same answer, so the check tells nothing about reports the asker has no receipt of."""
    code = receipt_code_normalize(code)
    submission = (Submission.objects.select_related("enterprise", "report_type__definition")
                  .filter(pk=submission_id).first() if code else None)
    if submission is None:
        return Verification(Verdict.INVALID)
    current = submission_receipt(submission)
    if current is not None and constant_time_compare(current.code, code):
        return Verification(Verdict.VALID, submission)
    if any(constant_time_compare(_code(submission.pk, second, digest), code)
           for second, digest in _earlier_rounds(submission, current)):
        return Verification(Verdict.SUPERSEDED, submission)
    return Verification(Verdict.INVALID)


def _earlier_rounds(submission: Submission, current: Receipt | None):
    """(second, answers digest) pairs the receipts of the report's earlier submit rounds were made of:
    each round's submit second with the answers as the return that ended it kept them, or as they are
    now (a round withdrawn, or resubmitted unchanged)."""
    events = list(submission.events.filter(action__in=(Action.SUBMIT, Action.RETURN)).order_by("created_at", "id")
                  .values_list("action", "created_at", "answers"))
    now = answers_digest(submission.answers)
    if current is None and submission.submitted_at is not None:  # the last round, returned or withdrawn
        yield int(submission.submitted_at.timestamp()), now
    for index, (action, at, _answers) in enumerate(events):
        if action != Action.SUBMIT:
            continue
        digests = {now}
        following = events[index + 1] if index + 1 < len(events) else None
        if following is not None and following[0] == Action.RETURN and following[2] is not None:
            digests.add(answers_digest(following[2]))
        for digest in digests:
            yield int(at.timestamp()), digest
            yield int(at.timestamp()) - 1, digest


# -- 进度 ---------------------------------------------------------------------------------------

class StepState:
    DONE = "done"  # ✓ passed it on (or approved it)
    CURRENT = "current"  # ⏳ holds it now
    RETURNED = "returned"  # ✗ returned it to the enterprise
    TODO = "todo"  # still to come


@dataclass(frozen=True)
class ProgressStep:
    name: str
    state: str

    @property
    def state_label(self) -> str:
        return {StepState.DONE: _("passed"), StepState.CURRENT: _("reviewing now"),
                StepState.RETURNED: _("returned it"), StepState.TODO: _("to come")}[self.state]


def _region_name(profile) -> str:
    return profile.region.name if profile.region_id else _("Whole country")


def _chain_from(profile, final_level: int | None) -> list:
    """The administrators a report passes from `profile` up: its ancestors, up to the top of the tree or
    the level where the review ends (`Submission.final_level`, as `submission_receive` decides)."""
    ancestors = list(profile.get_ancestors().select_related("region"))
    chain = []
    for node in [profile, *reversed(ancestors)]:
        chain.append(node)
        if final_level is not None and node.region_id and node.region.level <= final_level:
            break
    return chain


def submission_progress(submission: Submission) -> list[ProgressStep]:
    """进度: the report's way up the administrator tree by region for its current round (since its last
    上报): those who received it ✓, the holder ⏳, where it was returned ✗, the rest to come; approved,
    all ✓. Empty for a report not submitted (editing, withdrawn, frozen)."""
    status = submission.status
    if status not in (SubmissionStatus.PENDING, SubmissionStatus.APPROVED, SubmissionStatus.RETURNED):
        return []
    events = list(submission.events.select_related("from_holder__region", "to_holder__region", "actor__admin_profile__region")
                  .order_by("-created_at", "-id")[:50])
    start = next((i for i, e in enumerate(events) if e.action == Action.SUBMIT), None)
    if start is None:
        return []
    submit, later = events[start], list(reversed(events[:start]))
    first = submit.to_holder or submission.holder
    if first is None:
        return []
    chain = _chain_from(first, submission.final_level)
    passed = {e.from_holder_id for e in later if e.action == Action.RECEIVE and e.from_holder_id}
    if status == SubmissionStatus.APPROVED:
        return [ProgressStep(_region_name(p), StepState.DONE) for p in chain]
    if status == SubmissionStatus.PENDING:
        holder = submission.holder
        if holder is not None and holder.pk not in {p.pk for p in chain}:  # reassigned to another branch
            chain = [p for p in chain if p.pk in passed] + _chain_from(holder, submission.final_level)
        return [ProgressStep(_region_name(p), StepState.DONE if p.pk in passed else
                             StepState.CURRENT if holder is not None and p.pk == holder.pk else StepState.TODO)
                for p in chain]
    # Returned: by the holder, or, before anyone received it, by any reviewer over the enterprise.
    returned = next((e for e in reversed(later) if e.action == Action.RETURN), None)
    by = getattr(returned.actor, "admin_profile", None) if returned and returned.actor else None
    by = by or (returned.from_holder if returned else None)
    if by is not None and by.pk not in {p.pk for p in chain}:
        chain = [*chain, by]
    return [ProgressStep(_region_name(p), StepState.DONE if p.pk in passed else
                         StepState.RETURNED if by is not None and p.pk == by.pk else StepState.TODO)
            for p in chain]


# -- 回执核验's limit: the public check refuses an address after too many codes that did not verify --

def _failures_key(address: str, now: datetime.datetime) -> tuple[str, datetime.datetime]:
    """The cache key of this hour's failed checks from `address`, and when the hour ends."""
    hour = int(now.timestamp()) // 3600
    return f"receipt-check-failures:{address}:{hour}", datetime.datetime.fromtimestamp((hour + 1) * 3600,
                                                                                   tz=datetime.timezone.utc)


def receipt_check_refused_until(address: str | None) -> datetime.datetime | None:
    """When `address` may check again, if it had RECEIPT_CHECK_HOURLY_FAILURES codes that did not verify
    this hour (counted in the shared cache: Redis in production); None while it may check."""
    if not address:
        return None
    key, hour_ends = _failures_key(address, timezone.now())
    return hour_ends if (cache.get(key) or 0) >= settings.RECEIPT_CHECK_HOURLY_FAILURES else None


def receipt_check_failure_record(address: str | None) -> None:
    if not address:
        return
    key, _hour_ends = _failures_key(address, timezone.now())
    if not cache.add(key, 1, timeout=3600):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=3600)

