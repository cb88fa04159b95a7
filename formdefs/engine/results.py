"""What validation returns: issues with severity and the fields they concern."""
from dataclasses import dataclass, field

from ..enums import Severity


@dataclass(frozen=True)
class Issue:
    """One problem: a failed rule or a bad answer. `fields` are answer paths (`ind.sales.ytd`)."""

    code: str
    severity: str
    message: str
    fields: tuple = ()
    labels: tuple = ()

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "fields": list(self.fields), "labels": list(self.labels)}


@dataclass
class RuleContext:
    """What rules see besides `cur`: absent members (None) make the rules that need them skip.

    `enterprise` is the profile (e.g. {"industrial": true, "section": "C", ...}), `period`
    {"year": 2025, "month": 3} (ints), `prev` / `last_year` approved answers of last month and of
    the same month last year. `ref` the reference values kept as data for the report's year
    (`ref.software_profit_margin_national`, `formdefs.reference_values`): a value not stored makes the
    rules that read it skip.
    """

    enterprise: dict | None = None
    period: dict | None = None
    prev: dict | None = None
    last_year: dict | None = None
    ref: dict | None = None

    def variables(self, answers: dict) -> dict:
        return {"cur": answers, "prev": self.prev, "last_year": self.last_year,
                "enterprise": self.enterprise, "period": self.period, "ref": self.ref}


@dataclass
class ValidationResult:
    """Answers as kept (hidden ones dropped, computed ones filled), the hidden nodes and the issues."""

    answers: dict
    hidden: frozenset = frozenset()
    issues: list = field(default_factory=list)
    skipped_rules: list = field(default_factory=list)

    def of(self, severity: str) -> list:
        return [i for i in self.issues if i.severity == severity]

    @property
    def errors(self) -> list:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> list:
        return self.of(Severity.WARNING)

    @property
    def severe(self) -> list:
        return self.of(Severity.SEVERE)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_anomalous(self) -> bool:
        """数据异常: a warning or a severe warning remains."""
        return bool(self.warnings or self.severe)
